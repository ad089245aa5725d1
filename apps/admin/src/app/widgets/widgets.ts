import { DatePipe } from '@angular/common';
import { Component, inject, input, linkedSignal, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import type { Page, Widget } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { CursorPager, pagedResource } from '../shared/cursor-pager';
import { ListState } from '../shared/list-state';
import { Pager } from '../shared/pager';
import { tenantOptions } from '../tenants/tenant-options';
import { WidgetFormDialog, type WidgetFormData } from './widget-form-dialog';
import { loaded } from '../shared/loaded';

/** Every widget of the organization (or of one tenant): find one fast, or add one. */
@Component({
  selector: 'kr-widgets',
  imports: [DatePipe, FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule, MatTableModule, RouterLink, ListState, Pager],
  template: `
    <div class="page-header">
      <h1>Widgets</h1>
      @if (session.can('widgets:write')) {
        <button mat-flat-button type="button" [disabled]="!loaded(tenants)?.items?.length" (click)="create()"><mat-icon>add</mat-icon>New widget</button>
      }
    </div>
    <div class="toolbar-row">
      <mat-form-field class="search">
        <mat-label>Search widgets</mat-label>
        <mat-icon matPrefix>search</mat-icon>
        <input matInput [ngModel]="query()" (ngModelChange)="query.set($event); pager.reset()" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Tenant</mat-label>
        <mat-select [value]="tenant()" (valueChange)="tenant.set($event); pager.reset()">
          <mat-option value="">All tenants</mat-option>
          @for (tenant of loaded(tenants)?.items; track tenant.id) {
            <mat-option [value]="tenant.id">{{ tenant.name }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </div>
    @if (loaded(tenants)?.items?.length === 0) {
      <p class="muted">Widgets belong to a tenant: <a [routerLink]="['/orgs', orgId(), 'tenants']">create a tenant</a> first.</p>
    }
    <kr-list-state [of]="widgets" [empty]="query() ? 'No widget matches this search.' : 'No widgets yet.'">
      <table mat-table [dataSource]="loaded(widgets)?.items ?? []">
        <ng-container matColumnDef="name">
          <th mat-header-cell *matHeaderCellDef>Name</th>
          <td mat-cell *matCellDef="let widget"><a [routerLink]="['/orgs', orgId(), 'widgets', widget.id]">{{ widget.name }}</a></td>
        </ng-container>
        <ng-container matColumnDef="tenant">
          <th mat-header-cell *matHeaderCellDef>Tenant</th>
          <td mat-cell *matCellDef="let widget">{{ tenants.names().get(widget.tenantId) ?? '—' }}</td>
        </ng-container>
        <ng-container matColumnDef="secret">
          <th mat-header-cell *matHeaderCellDef>Secret</th>
          <td mat-cell *matCellDef="let widget">
            @if (widget.activeSecret) {
              <span class="chip">v{{ widget.activeSecret.version }}</span> <span class="mono">{{ widget.activeSecret.fingerprint }}</span>
            } @else {
              <span class="chip bad">No secret</span>
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="rotated">
          <th mat-header-cell *matHeaderCellDef>Activated</th>
          <td mat-cell *matCellDef="let widget">{{ widget.activeSecret?.activatedAt | date: 'mediumDate' }}</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
      </table>
      <kr-pager [pager]="pager" />
    </kr-list-state>
  `,
  styles: '.search { width: 360px; max-width: 100%; }',
})
export class Widgets {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  /** From the query string (the tenants page links here with it). */
  readonly tenantId = input<string>();
  protected readonly columns = ['name', 'tenant', 'secret', 'rotated'];
  protected readonly query = signal('');
  protected readonly tenant = linkedSignal(() => this.tenantId() ?? '');
  protected readonly pager = new CursorPager();
  protected readonly tenants = tenantOptions(this.orgId);
  protected readonly widgets = pagedResource(
    this.pager,
    () => ({ orgId: this.orgId(), q: this.query(), tenantId: this.tenant() }),
    ({ orgId, q, tenantId }, page) => this.api.get<Page<Widget>>(`/orgs/${orgId}/widgets`, { q, tenantId, ...page }),
  );

  protected create(): void {
    const tenants = loaded(this.tenants)?.items ?? [];
    const selected = tenants.filter((t) => t.id === this.tenant());
    const data: WidgetFormData = { orgId: this.orgId(), tenants: selected.length ? [...selected, ...tenants.filter((t) => t.id !== this.tenant())] : tenants };
    this.dialog
      .open(WidgetFormDialog, { data })
      .afterClosed()
      .subscribe((widget?: Widget) => {
        if (widget) void this.router.navigate(['/orgs', this.orgId(), 'widgets', widget.id]);
      });
  }
}
