import { DatePipe, JsonPipe } from '@angular/common';
import { Component, computed, effect, inject, input, resource, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { AUDIT_ACTION_GROUPS, type AuditEvent, type AuditVerification, type Member, type Page } from '@keyring/contracts';
import { Api } from '../core/api';
import { problemOf } from '../core/problem';
import { Session } from '../core/session';
import { runAction } from '../shared/actions';
import { CursorPager, pagedResource } from '../shared/cursor-pager';
import { ListState } from '../shared/list-state';
import { downloadFrom } from '../shared/download';
import { loaded } from '../shared/loaded';
import { Pager } from '../shared/pager';
import { auditNames } from './audit-names';
import { actionLabel, auditSentence, type SentencePart } from './audit-sentence';

const FULL_CHECK_POLL_MS = 3000;

interface AuditFilters {
  action: string;
  actorId: string;
  tenantId: string;
  widgetId: string;
  outcome: string;
  from: string;
  to: string;
}

/** Who touched what: filters, pages, exports, and whether the hash chain still holds. */
@Component({
  selector: 'kr-audit-log',
  imports: [DatePipe, JsonPipe, FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule, RouterLink, ListState, Pager],
  templateUrl: './audit.html',
  styles: `
    .events { list-style: none; margin: 0; padding: 0; }
    .event { padding: 10px 4px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .event.failed { border-left: 4px solid var(--mat-sys-error); padding-left: 12px; background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
    .line { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 12px; }
    .sentence { flex: 1; min-width: 240px; }
    summary { cursor: pointer; font: var(--mat-sys-label-medium); color: var(--mat-sys-on-surface-variant); margin-top: 4px; }
    pre { font-size: 12px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
  `,
})
export class AuditLog {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly snackBar = inject(MatSnackBar);
  private readonly session = inject(Session);
  readonly orgId = input.required<string>();
  /** Someone who may not read the log sees only why (the API's refusal below), not filters and exports. */
  protected readonly canRead = computed(() => this.session.can('audit:read'));
  protected readonly actionGroups = AUDIT_ACTION_GROUPS;
  protected readonly actionLabel = actionLabel;
  protected readonly draft: AuditFilters = { action: '', actorId: '', tenantId: '', widgetId: '', outcome: '', from: '', to: '' };
  protected readonly filters = signal<AuditFilters>({ ...this.draft });
  protected readonly pager = new CursorPager();
  protected readonly verification = resource({ params: () => this.orgId(), loader: ({ params }) => this.api.get<AuditVerification>(`/orgs/${params}/audit-events/verify`) });
  protected readonly events = pagedResource(
    this.pager,
    () => ({ orgId: this.orgId(), filters: this.filters() }),
    ({ orgId, filters }, page) => this.api.get<Page<AuditEvent>>(`/orgs/${orgId}/audit-events`, { ...this.query(filters), ...page }),
  );

  private readonly known = auditNames(() => this.orgId());
  protected readonly tenants = this.known.tenants;
  protected readonly widgets = this.known.widgets;
  protected readonly members = resource({ params: () => this.orgId(), loader: ({ params }) => this.api.get<Page<Member>>(`/orgs/${params}/members`, { limit: 200 }) });
  protected sentence(event: AuditEvent): SentencePart[] {
    return auditSentence(event, this.known.names());
  }

  constructor() {
    // While a full check runs (in the background, on the server), look again every few seconds.
    effect((onCleanup) => {
      const full = loaded(this.verification)?.fullVerification; // a refused verify (403) has no value to read
      if (!full || full.finishedAt) return;
      const timer = setTimeout(() => this.verification.reload(), FULL_CHECK_POLL_MS);
      onCleanup(() => clearTimeout(timer));
    });
  }

  protected async fullCheck(): Promise<void> {
    const started = await runAction(this.snackBar, () => this.api.post(`/orgs/${this.orgId()}/audit-events/verify/full`), 'Full check started.');
    if (started) this.verification.reload();
  }

  protected apply(): void {
    this.filters.set({ ...this.draft });
    this.pager.reset();
  }

  /**
   * The browser downloads the export itself, straight to disk (a million events are larger than a string can be).
   * A failed download only says "Failed" in the browser's bar, so one event with the same filters is read first: a
   * refusal (session gone, role changed) or a bad filter shows here with the API's words instead.
   */
  protected async export(format: 'csv' | 'ndjson'): Promise<void> {
    const path = `/orgs/${this.orgId()}/audit-events`;
    const query = this.query(this.filters());
    try {
      await this.api.get<Page<AuditEvent>>(path, { ...query, limit: 1 });
      downloadFrom(this.api.url(`${path}/export`, { ...query, format }));
    } catch (error) {
      this.snackBar.open(problemOf(error).message, 'Close');
    }
  }

  private query(filters: AuditFilters) {
    return {
      action: filters.action,
      actorId: filters.actorId,
      tenantId: filters.tenantId,
      targetType: filters.widgetId ? 'widget' : undefined,
      targetId: filters.widgetId,
      outcome: filters.outcome,
      from: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined,
      to: filters.to ? new Date(`${filters.to}T23:59:59.999`).toISOString() : undefined,
    };
  }
}
