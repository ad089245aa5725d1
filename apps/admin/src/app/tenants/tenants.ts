import { DatePipe } from '@angular/common';
import { Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { Page, Tenant } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { CursorPager, pagedResource } from '../shared/cursor-pager';
import { ListState } from '../shared/list-state';
import { NameDialog, type NameDialogData } from '../shared/name-dialog';
import { Pager } from '../shared/pager';
import { loaded } from '../shared/loaded';
import { setTenantArchived } from './archive-tenant';

/** The agency's clients: search, create, rename, archive. */
@Component({
  selector: 'kr-tenants',
  imports: [DatePipe, FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatTableModule, RouterLink, ListState, Pager],
  template: `
    <div class="page-header">
      <h1>Tenants</h1>
      @if (session.can('tenants:write')) {
        <button mat-flat-button type="button" (click)="create()"><mat-icon>add</mat-icon>New tenant</button>
      }
    </div>
    <mat-form-field class="search">
      <mat-label>Search tenants</mat-label>
      <mat-icon matPrefix>search</mat-icon>
      <input matInput [ngModel]="query()" (ngModelChange)="search($event)" />
    </mat-form-field>
    <kr-list-state [of]="tenants" [empty]="query() ? 'No tenant matches this search.' : 'No tenants yet: create one for each client whose widgets you manage.'">
      <table mat-table [dataSource]="loaded(tenants)?.items ?? []">
        <ng-container matColumnDef="name">
          <th mat-header-cell *matHeaderCellDef>Name</th>
          <td mat-cell *matCellDef="let tenant"><a [routerLink]="['/orgs', orgId(), 'tenants', tenant.id]">{{ tenant.name }}</a></td>
        </ng-container>
        <ng-container matColumnDef="widgets">
          <th mat-header-cell *matHeaderCellDef>Widgets</th>
          <td mat-cell *matCellDef="let tenant"><a [routerLink]="['/orgs', orgId(), 'widgets']" [queryParams]="{ tenantId: tenant.id }" [attr.aria-label]="tenant.widgetCount + ' widgets of ' + tenant.name">{{ tenant.widgetCount }}</a></td>
        </ng-container>
        <ng-container matColumnDef="created">
          <th mat-header-cell *matHeaderCellDef>Created</th>
          <td mat-cell *matCellDef="let tenant">{{ tenant.createdAt | date: 'mediumDate' }}</td>
        </ng-container>
        <ng-container matColumnDef="actions">
          <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
          <td mat-cell *matCellDef="let tenant">
            @if (session.can('tenants:write')) {
              <button mat-icon-button type="button" [attr.aria-label]="'Rename ' + tenant.name" (click)="rename(tenant)"><mat-icon>edit</mat-icon></button>
              <button mat-icon-button type="button" [attr.aria-label]="'Archive ' + tenant.name" (click)="archive(tenant)"><mat-icon>archive</mat-icon></button>
            }
          </td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
      </table>
      <kr-pager [pager]="pager" />
    </kr-list-state>
  `,
  styles: '.search { width: 360px; max-width: 100%; }',
})
export class Tenants {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  protected readonly columns = ['name', 'widgets', 'created', 'actions'];
  protected readonly query = signal('');
  protected readonly pager = new CursorPager();
  protected readonly tenants = pagedResource(
    this.pager,
    () => ({ orgId: this.orgId(), q: this.query() }),
    ({ orgId, q }, page) => this.api.get<Page<Tenant>>(`/orgs/${orgId}/tenants`, { q, ...page }),
  );

  protected search(query: string): void {
    this.query.set(query);
    this.pager.reset();
  }

  protected async create(): Promise<void> {
    await this.openNameDialog({ title: 'New tenant', label: 'Client name', submitLabel: 'Create', save: (name) => this.api.post(`/orgs/${this.orgId()}/tenants`, { name }) });
  }

  protected async rename(tenant: Tenant): Promise<void> {
    await this.openNameDialog({
      title: `Rename ${tenant.name}`,
      label: 'Client name',
      value: tenant.name,
      submitLabel: 'Save',
      save: (name) => this.api.patch(`/orgs/${this.orgId()}/tenants/${tenant.id}`, { name }),
    });
  }

  protected async archive(tenant: Tenant): Promise<void> {
    if (await setTenantArchived({ api: this.api, dialog: this.dialog, snackBar: this.snackBar }, this.orgId(), tenant, true)) this.tenants.reload();
  }

  private async openNameDialog(data: NameDialogData): Promise<void> {
    const saved = await new Promise((resolve) => this.dialog.open(NameDialog, { data, width: '440px' }).afterClosed().subscribe(resolve));
    if (saved) this.tenants.reload();
  }
}
