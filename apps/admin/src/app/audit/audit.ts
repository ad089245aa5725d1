import { DatePipe } from '@angular/common';
import { Component, effect, inject, input, resource, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import type { AuditEvent, AuditVerification, Page } from '@keyring/contracts';
import { Api } from '../core/api';
import { problemOf } from '../core/problem';
import { runAction } from '../shared/actions';
import { CursorPager, pagedResource } from '../shared/cursor-pager';
import { ListState } from '../shared/list-state';
import { Pager } from '../shared/pager';

const FULL_CHECK_POLL_MS = 3000;

interface AuditFilters {
  action: string;
  targetType: string;
  from: string;
  to: string;
}

/** Who touched what: filters, pages, exports, and whether the hash chain still holds. */
@Component({
  selector: 'kr-audit-log',
  imports: [DatePipe, FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatTableModule, ListState, Pager],
  template: `
    <div class="page-header">
      <h1>Audit log</h1>
      @if (verification.value(); as check) {
        @if (check.valid) {
          <span class="chip ok" data-testid="chain-badge" role="status"><mat-icon inline>verified</mat-icon> Chain verified: {{ check.checkedEvents }} events@if (check.pendingEvents) {, {{ check.pendingEvents }} newer being checked}</span>
        } @else {
          <span class="chip bad" data-testid="chain-badge" role="alert" [title]="check.reason ?? ''"><mat-icon inline>report</mat-icon> Chain broken at event {{ check.firstBrokenSeq }}</span>
        }
        <span class="muted" data-testid="full-check" role="status">
          @if (check.fullVerification; as full) {
            @if (!full.finishedAt) {
              Full check running since {{ full.startedAt | date: 'shortTime' }}…
            } @else if (full.valid === null) {
              Last full check {{ full.finishedAt | date: 'medium' }} did not finish: {{ full.reason }}
            } @else {
              Last full check {{ full.finishedAt | date: 'medium' }}: {{ full.valid ? 'every event holds' : 'broken at event ' + full.firstBrokenSeq }}
            }
          } @else {
            Never fully checked
          }
        </span>
        <button mat-stroked-button type="button" (click)="fullCheck()" [disabled]="check.fullVerification && !check.fullVerification.finishedAt">
          <mat-icon>fact_check</mat-icon>Full check
        </button>
      } @else if (verification.isLoading()) {
        <span class="chip" data-testid="chain-badge">Verifying the chain…</span>
      }
      <button mat-stroked-button type="button" (click)="export('csv')"><mat-icon>download</mat-icon>CSV</button>
      <button mat-stroked-button type="button" (click)="export('ndjson')"><mat-icon>download</mat-icon>NDJSON</button>
    </div>
    <form class="toolbar-row" (ngSubmit)="apply()">
      <mat-form-field><mat-label>Action</mat-label><input matInput name="action" [(ngModel)]="draft.action" placeholder="e.g. secret.rotated" /></mat-form-field>
      <mat-form-field><mat-label>Target type</mat-label><input matInput name="targetType" [(ngModel)]="draft.targetType" placeholder="e.g. widget" /></mat-form-field>
      <mat-form-field><mat-label>From</mat-label><input matInput type="date" name="from" [(ngModel)]="draft.from" /></mat-form-field>
      <mat-form-field><mat-label>To</mat-label><input matInput type="date" name="to" [(ngModel)]="draft.to" /></mat-form-field>
      <button mat-flat-button type="submit">Filter</button>
    </form>
    <kr-list-state [of]="events" empty="No event matches these filters.">
      <table mat-table [dataSource]="events.value()?.items ?? []" data-testid="audit-events">
        <ng-container matColumnDef="seq">
          <th mat-header-cell *matHeaderCellDef>#</th>
          <td mat-cell *matCellDef="let event">{{ event.seq }}</td>
        </ng-container>
        <ng-container matColumnDef="when">
          <th mat-header-cell *matHeaderCellDef>When</th>
          <td mat-cell *matCellDef="let event">{{ event.occurredAt | date: 'medium' }}</td>
        </ng-container>
        <ng-container matColumnDef="actor">
          <th mat-header-cell *matHeaderCellDef>Who</th>
          <td mat-cell *matCellDef="let event">{{ event.actor.label ?? event.actor.type }}</td>
        </ng-container>
        <ng-container matColumnDef="action">
          <th mat-header-cell *matHeaderCellDef>Action</th>
          <td mat-cell *matCellDef="let event"><span [class.form-error]="event.outcome === 'failure'">{{ event.action }}</span></td>
        </ng-container>
        <ng-container matColumnDef="target">
          <th mat-header-cell *matHeaderCellDef>Target</th>
          <td mat-cell *matCellDef="let event">{{ event.target.type }} <span class="mono muted">{{ event.target.id }}</span></td>
        </ng-container>
        <ng-container matColumnDef="details">
          <th mat-header-cell *matHeaderCellDef>Details</th>
          <td mat-cell *matCellDef="let event" class="mono details">{{ summary(event.details) }}</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
      </table>
      <kr-pager [pager]="pager" previousLabel="Newer" nextLabel="Older" />
    </kr-list-state>
  `,
  styles: '.details { max-width: 320px; font-size: 12px; white-space: pre-line; }',
})
export class AuditLog {
  private readonly api = inject(Api);
  private readonly snackBar = inject(MatSnackBar);
  readonly orgId = input.required<string>();
  protected readonly columns = ['seq', 'when', 'actor', 'action', 'target', 'details'];
  protected readonly draft: AuditFilters = { action: '', targetType: '', from: '', to: '' };
  protected readonly filters = signal<AuditFilters>({ ...this.draft });
  protected readonly pager = new CursorPager();
  protected readonly verification = resource({ params: () => this.orgId(), loader: ({ params }) => this.api.get<AuditVerification>(`/orgs/${params}/audit-events/verify`) });
  protected readonly events = pagedResource(
    this.pager,
    () => ({ orgId: this.orgId(), filters: this.filters() }),
    ({ orgId, filters }, page) => this.api.get<Page<AuditEvent>>(`/orgs/${orgId}/audit-events`, { ...this.query(filters), ...page }),
  );

  /** `key: value` pairs, one per line, for the table (the exports carry the JSON). */
  protected summary(details: Record<string, unknown>): string {
    return Object.entries(details)
      .filter(([, value]) => value !== null)
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join('\n');
  }

  constructor() {
    // While a full check runs (in the background, on the server), look again every few seconds.
    effect((onCleanup) => {
      const full = this.verification.value()?.fullVerification;
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

  protected async export(format: 'csv' | 'ndjson'): Promise<void> {
    try {
      const text = await this.api.text(`/orgs/${this.orgId()}/audit-events/export`, { ...this.query(this.filters()), format });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' }));
      link.download = `keyring-audit-${new Date().toISOString().slice(0, 10)}.${format}`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      this.snackBar.open(problemOf(error).message, 'Close');
    }
  }

  private query(filters: AuditFilters) {
    return {
      action: filters.action.trim(),
      targetType: filters.targetType.trim(),
      from: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined,
      to: filters.to ? new Date(`${filters.to}T23:59:59.999`).toISOString() : undefined,
    };
  }
}
