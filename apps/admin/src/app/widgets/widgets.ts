import { DatePipe } from '@angular/common';
import { Component, computed, inject, input } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { WIDGET_SEARCH_MIN_LENGTH, type Widget, type WidgetPage } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { CursorPager, PAGE_SIZE, pagedResource } from '../shared/cursor-pager';
import { ListState } from '../shared/list-state';
import { Pager } from '../shared/pager';
import { TenantPicker } from '../tenants/tenant-picker';
import { hasAnyTenant } from '../tenants/tenant-options';
import { WIDGET_DIALOG_WIDTH, WidgetFormDialog, type WidgetFormData } from './widget-form-dialog';
import { loaded } from '../shared/loaded';

/** The list's filters, as the API and the URL name them ('archived' is a flag of its own). */
const FILTERS = [
  { value: '', label: 'Live widgets' },
  { value: 'no-secret', label: 'Without a secret' },
  { value: 'stale', label: 'Older than the rotation policy' },
  { value: 'unused', label: 'No userHash in 30 days' },
  { value: 'rotation-requested', label: 'Rotation requested' },
  { value: 'archived', label: 'Archived' },
] as const;

/**
 * Every widget of the organization (or of one tenant): find one fast, or add one. With `fixedTenant`, one tenant's
 * widgets inside its client page (no tenant filter nor column).
 */
@Component({
  selector: 'kr-widgets',
  imports: [DatePipe, FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule, MatTableModule, RouterLink, ListState, Pager, TenantPicker],
  template: `
    <div class="page-header">
      @if (fixedTenant()) {
        <h2>Widgets</h2>
      } @else {
        <h1>Widgets</h1>
      }
      @if (!fixedTenant() && session.can('imports:run')) {
        <a mat-stroked-button [routerLink]="['/orgs', orgId(), 'imports']"><mat-icon>upload_file</mat-icon>Import</a>
      }
      @if (session.can('widgets:write')) {
        <button mat-flat-button type="button" [disabled]="!hasTenants()" (click)="create()"><mat-icon>add</mat-icon>New widget</button>
      }
    </div>
    <div class="toolbar-row">
      <mat-form-field class="search">
        <mat-label>Search widgets</mat-label>
        <mat-icon matPrefix>search</mat-icon>
        <input matInput type="search" [ngModel]="q() ?? ''" (ngModelChange)="show({ q: $event })" />
        <mat-hint>Name, tenant or Huggy widget UUID; {{ minSearch }} characters or more.</mat-hint>
      </mat-form-field>
      @if (!fixedTenant()) {
        <kr-tenant-picker [orgId]="orgId()" label="Tenant" placeholder="All tenants" [allowNone]="true" [ngModel]="tenantId() ?? ''" (ngModelChange)="show({ tenantId: $event })" />
      }
      <mat-form-field>
        <mat-label>Show</mat-label>
        <mat-select [value]="status() ?? ''" (valueChange)="show({ status: $event })">
          @for (filter of filters; track filter.value) {
            <mat-option [value]="filter.value">{{ filter.label }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </div>
    @if (hasTenants() === false) {
      <p class="muted">Widgets belong to a tenant: <a [routerLink]="['/orgs', orgId(), 'tenants']">create a tenant</a> first.</p>
    }
    <kr-list-state [of]="widgets" [empty]="q() || status() ? 'No widget matches this search.' : 'No widgets yet.'">
      <table mat-table [dataSource]="loaded(widgets)?.items ?? []">
        <ng-container matColumnDef="name">
          <th mat-header-cell *matHeaderCellDef>Name</th>
          <td mat-cell *matCellDef="let widget"><a [routerLink]="['/orgs', orgId(), 'widgets', widget.id]">{{ widget.name }}</a></td>
        </ng-container>
        <ng-container matColumnDef="tenant">
          <th mat-header-cell *matHeaderCellDef>Tenant</th>
          <td mat-cell *matCellDef="let widget"><a [routerLink]="['/orgs', orgId(), 'tenants', widget.tenantId]">{{ widget.tenantName }}</a></td>
        </ng-container>
        <ng-container matColumnDef="secret">
          <th mat-header-cell *matHeaderCellDef>Secret</th>
          <td mat-cell *matCellDef="let widget">
            @if (widget.activeSecret) {
              <span class="fingerprint"><span class="chip">v{{ widget.activeSecret.version }}</span> <span class="mono">{{ widget.activeSecret.fingerprint }}</span></span>
            } @else {
              <span class="chip bad">No secret</span>
            }
            @if (widget.rotationRequestedAt) {
              <span class="chip bad requested" data-testid="rotation-requested">Rotation requested</span>
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="rotated">
          <th mat-header-cell *matHeaderCellDef>Activated</th>
          <td mat-cell *matCellDef="let widget">{{ widget.activeSecret?.activatedAt | date: 'mediumDate' }}</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns()"></tr>
        <tr mat-row *matRowDef="let row; columns: columns()"></tr>
      </table>
      <p class="muted" aria-live="polite">{{ range() }}</p>
      <kr-pager [pager]="pager" />
    </kr-list-state>
  `,
  styles: `
    .search { width: 360px; max-width: 100%; }
    .page-header h2 { margin: 0; flex: 1; }
    .requested { margin-left: 6px; }
  `,
})
export class Widgets {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  // Search and filters live in the URL (bound from the query string), so a reload or a shared link keeps them.
  readonly q = input<string>();
  readonly tenantId = input<string>();
  readonly status = input<string>();
  /** The cursors of the pages seen (CursorPager), so that a reload keeps the page. */
  readonly pages = input<string>();
  /** One tenant's widgets only, inside its client page. */
  readonly fixedTenant = input<string>();
  protected readonly filters = FILTERS;
  protected readonly minSearch = WIDGET_SEARCH_MIN_LENGTH;
  protected readonly columns = computed(() => (this.fixedTenant() ? ['name', 'secret', 'rotated'] : ['name', 'tenant', 'secret', 'rotated']));
  protected readonly pager = new CursorPager({ pages: this.pages, go: (pages) => this.navigate({ pages }) });
  private readonly anyTenant = hasAnyTenant(this.orgId);
  protected readonly hasTenants = computed(() => (this.fixedTenant() ? true : this.anyTenant()));
  protected readonly widgets = pagedResource(
    this.pager,
    () => ({ orgId: this.orgId(), q: this.q() ?? '', tenantId: this.fixedTenant() ?? this.tenantId(), status: this.status() }),
    ({ orgId, q, tenantId, status }, page) =>
      this.api.get<WidgetPage>(`/orgs/${orgId}/widgets`, {
        // Shorter searches have no index to serve them: the list stays unfiltered until the third character.
        q: q.trim().length >= WIDGET_SEARCH_MIN_LENGTH ? q.trim() : undefined,
        tenantId: tenantId || undefined,
        ...(status === 'archived' ? { archived: 'true' } : { status: status || undefined }),
        ...page,
      }),
  );
  /** "1–50 of 409" */
  protected readonly range = computed(() => {
    const page = loaded(this.widgets);
    if (!page?.items.length) return '';
    const first = (this.pager.page() - 1) * PAGE_SIZE + 1;
    const total = `${page.total.toLocaleString('en')}${page.totalExact ? '' : '+'}`;
    return `${first}–${first + page.items.length - 1} of ${total}`;
  });

  /** A new search or filter starts again from the first page. */
  protected show(change: { q?: string; tenantId?: string; status?: string }): void {
    this.navigate({ ...change, pages: null });
  }

  private navigate(change: Record<string, string | null | undefined>): void {
    const queryParams = Object.fromEntries(Object.entries(change).map(([key, value]) => [key, value || null]));
    void this.router.navigate([], { queryParams, queryParamsHandling: 'merge', replaceUrl: true });
  }

  protected create(): void {
    this.dialog
      .open(WidgetFormDialog, { data: { orgId: this.orgId(), tenantId: this.fixedTenant() ?? this.tenantId() } satisfies WidgetFormData, width: WIDGET_DIALOG_WIDTH })
      .afterClosed()
      .subscribe((widget?: Widget) => {
        if (widget) void this.router.navigate(['/orgs', this.orgId(), 'widgets', widget.id]);
      });
  }
}
