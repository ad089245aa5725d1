import { DatePipe } from '@angular/common';
import { Component, computed, inject, input, resource } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AuditEvent, Page } from '@keyring/contracts';
import { Api } from '../core/api';
import { auditNames } from '../audit/audit-names';
import { auditSentence, groupRuns, type SentencePart } from '../audit/audit-sentence';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';

/** The last events in sentences, repeats folded ("signed in ×5"), at most eight lines: of everything, or of one tenant. */
@Component({
  selector: 'kr-recent-activity',
  imports: [DatePipe, RouterLink, ListState],
  template: `
    <kr-list-state [of]="activity" empty="Nothing has happened yet.">
      <ul class="activity" data-testid="recent-activity">
        @for (run of runs(); track run.event.seq) {
          <li [class.failed]="run.event.outcome === 'failure'">
            <span>
              @for (part of sentence(run.event); track $index) {
                @if (part.link) {<a [routerLink]="part.link">{{ part.text }}</a>} @else {{{ part.text }}}
              }
              @if (run.count > 1) {<span class="chip">×{{ run.count }}</span>}
            </span>
            <span class="muted">{{ run.event.occurredAt | date: 'medium' }}</span>
          </li>
        }
      </ul>
    </kr-list-state>
  `,
  styles: `
    .activity { list-style: none; margin: 0; padding: 0; }
    .activity li { display: flex; flex-direction: column; padding: 8px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .activity .chip { margin-left: 6px; }
    .activity li.failed { border-left: 4px solid var(--mat-sys-error); padding-left: 8px; }
  `,
})
export class RecentActivity {
  private readonly api = inject(Api);
  readonly orgId = input.required<string>();
  readonly tenantId = input<string>();
  protected readonly activity = resource({
    params: () => ({ orgId: this.orgId(), tenantId: this.tenantId() }),
    loader: ({ params }) => this.api.get<Page<AuditEvent>>(`/orgs/${params.orgId}/audit-events`, { limit: 30, tenantId: params.tenantId }),
  });
  private readonly known = auditNames(() => this.orgId());
  protected readonly runs = computed(() => groupRuns(loaded(this.activity)?.items ?? []).slice(0, 8));

  protected sentence(event: AuditEvent): SentencePart[] {
    return auditSentence(event, this.known.names());
  }
}
