import { DatePipe } from '@angular/common';
import { Component, computed, inject, input, resource } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { RouterLink } from '@angular/router';
import type { ApiKey, AuditEvent, OrganizationOverview, Page, Usage, Widget } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { auditNames } from '../audit/audit-names';
import { auditSentence, groupRuns, type SentencePart } from '../audit/audit-sentence';
import { ListState } from '../shared/list-state';
import { UsageChart } from './usage-chart';
import { loaded } from '../shared/loaded';

const DAYS = 30;

@Component({
  selector: 'kr-dashboard',
  imports: [DatePipe, MatCardModule, MatIconModule, MatListModule, RouterLink, ListState, UsageChart],
  template: `
    <div class="page-header"><h1>Dashboard</h1></div>
    <kr-list-state [of]="overview" [isEmpty]="never">
      @if (loaded(overview); as counts) {
        <section class="counts" aria-label="Counts">
          <mat-card appearance="outlined"><mat-card-content><div class="count" data-testid="count-tenants">{{ counts.tenants }}</div>tenants</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><a class="count" data-testid="count-widgets" [routerLink]="['/orgs', orgId(), 'widgets']">{{ counts.widgets }}</a>widgets</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><a class="count" [routerLink]="['/orgs', orgId(), 'widgets']" [queryParams]="{ status: 'no-secret' }">{{ counts.widgetsWithoutSecret }}</a>without a secret</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><a class="count" [routerLink]="['/orgs', orgId(), 'widgets']" [queryParams]="{ status: 'stale' }">{{ counts.widgetsOverdue }}</a>secrets older than {{ counts.rotationMaxAgeDays }} days</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><div class="count">{{ counts.activeApiKeys }}</div>active API keys</mat-card-content></mat-card>
          <mat-card appearance="outlined"><mat-card-content><a class="count" data-testid="count-expiring-keys" [routerLink]="['/orgs', orgId(), 'api-keys']">{{ counts.apiKeysExpiringSoon }}</a>API keys expiring within 7 days</mat-card-content></mat-card>
        </section>
      }
    </kr-list-state>

    <h2>userHashes issued per day, last {{ days }} days</h2>
    <kr-list-state [of]="usage" [isEmpty]="never">
      @if (loaded(usage); as data) {
        <kr-usage-chart [items]="data.items" [from]="period.from" [to]="period.to" />
        <p class="muted" data-testid="issued-total">{{ total(data) }} {{ total(data) === 1 ? 'userHash' : 'userHashes' }} issued in the period.</p>
      }
    </kr-list-state>

    <div class="columns">
      <section>
        <h2>Needs attention</h2>
        <kr-list-state [of]="attention" empty="Every widget has a secret within the rotation policy.">
          <mat-nav-list>
            @for (widget of loaded(attention)?.items; track widget.id) {
              <a mat-list-item [routerLink]="['/orgs', orgId(), 'widgets', widget.id]">
                <mat-icon matListItemIcon>{{ widget.reason === 'no-secret' ? 'key_off' : 'schedule' }}</mat-icon>
                <span matListItemTitle>{{ widget.name }}</span>
                <span matListItemLine>{{ widget.reason === 'no-secret' ? 'No secret yet' : 'Secret activated ' + (widget.activeSecret?.activatedAt | date: 'mediumDate') }}</span>
              </a>
            }
          </mat-nav-list>
        </kr-list-state>
        <!-- The same reminders the webhooks send (api_key.expiring): keys to replace before they stop working. -->
        <kr-list-state [of]="expiringKeys" empty="No API key expires within 7 days.">
          <mat-nav-list data-testid="expiring-keys">
            @for (key of loaded(expiringKeys)?.items; track key.id) {
              <a mat-list-item [routerLink]="['/orgs', orgId(), 'api-keys']">
                <mat-icon matListItemIcon>key</mat-icon>
                <span matListItemTitle>{{ key.name }}</span>
                <span matListItemLine>API key expires {{ key.expiresAt | date: 'mediumDate' }}</span>
              </a>
            }
          </mat-nav-list>
        </kr-list-state>
      </section>
      @if (session.can('audit:read')) {
        <section>
          <h2>Recent activity</h2>
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
        </section>
      }
    </div>
  `,
  styles: `
    .counts { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
    .count { display: block; text-decoration: none; font: var(--mat-sys-display-small); color: var(--mat-sys-primary); }
    .activity { list-style: none; margin: 0; padding: 0; }
    .activity li { display: flex; flex-direction: column; padding: 8px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .activity .chip { margin-left: 6px; }
    .activity li.failed { border-left: 4px solid var(--mat-sys-error); padding-left: 8px; }
    .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 24px; }
  `,
})
export class Dashboard {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  protected readonly days = DAYS;
  protected readonly period = { from: new Date(Date.now() - (DAYS - 1) * 86_400_000), to: new Date() };

  protected readonly overview = resource({ params: () => this.orgId(), loader: ({ params }) => this.api.get<OrganizationOverview>(`/orgs/${params}/overview`) });
  protected readonly usage = resource({
    params: () => this.orgId(),
    loader: ({ params }) =>
      this.api.get<Usage>(`/orgs/${params}/usage`, { from: startOfDay(this.period.from).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), granularity: 'day' }),
  });
  protected readonly attention = resource({
    params: () => this.orgId(),
    loader: ({ params }) => this.api.get<{ items: (Widget & { reason: 'no-secret' | 'overdue' })[] }>(`/orgs/${params}/widgets/needs-attention`, { limit: 10 }),
  });
  protected readonly expiringKeys = resource({
    params: () => this.orgId(),
    loader: ({ params }) => this.api.get<Page<ApiKey>>(`/orgs/${params}/api-keys`, { expiring: true, limit: 10 }),
  });
  protected readonly activity = resource({
    params: () => (this.session.can('audit:read') ? this.orgId() : undefined),
    loader: ({ params }) => this.api.get<Page<AuditEvent>>(`/orgs/${params}/audit-events`, { limit: 30 }),
  });
  private readonly known = auditNames(() => this.orgId());
  /** The last events with repeats folded ("signed in ×5"), at most eight lines. */
  protected readonly runs = computed(() => groupRuns(loaded(this.activity)?.items ?? []).slice(0, 8));

  protected sentence(event: AuditEvent): SentencePart[] {
    return auditSentence(event, this.known.names());
  }

  protected total(usage: Usage): number {
    return usage.items.reduce((sum, item) => sum + item.issued, 0);
  }

  /** The chart shows empty days too: it is never "empty". */
  protected readonly never = () => false;
}

function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
