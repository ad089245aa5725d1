import { DatePipe } from '@angular/common';
import { Component, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import type { ApiKey, Page } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { confirm } from '../shared/confirm-dialog';
import { runAction } from '../shared/actions';
import { CursorPager, pagedResource } from '../shared/cursor-pager';
import { ListState } from '../shared/list-state';
import { Pager } from '../shared/pager';
import { tenantOptions } from '../tenants/tenant-options';
import { CreateApiKeyDialog } from './create-api-key-dialog';
import { loaded } from '../shared/loaded';

/** The keys tenants' backends use to ask for userHashes: create (shown once), list, revoke. */
@Component({
  selector: 'kr-api-keys',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatTableModule, ListState, Pager],
  template: `
    <div class="page-header">
      <h1>API keys</h1>
      @if (session.can('api-keys:manage')) {
        <button mat-flat-button type="button" [disabled]="!loaded(tenants)?.items?.length" (click)="create()"><mat-icon>add</mat-icon>New API key</button>
      }
    </div>
    <p class="muted">A key belongs to one tenant and signs only for that tenant's widgets. Keyring stores only a hash of each key.</p>
    <kr-list-state [of]="keys" empty="No API keys yet: create one for each client backend that asks for userHashes.">
      <table mat-table [dataSource]="loaded(keys)?.items ?? []">
        <ng-container matColumnDef="name">
          <th mat-header-cell *matHeaderCellDef>Name</th>
          <td mat-cell *matCellDef="let key">{{ key.name }}<br /><span class="mono muted">{{ key.prefix }}…</span></td>
        </ng-container>
        <ng-container matColumnDef="tenant">
          <th mat-header-cell *matHeaderCellDef>Tenant</th>
          <td mat-cell *matCellDef="let key">{{ tenants.names().get(key.tenantId) ?? '—' }}</td>
        </ng-container>
        <ng-container matColumnDef="scopes">
          <th mat-header-cell *matHeaderCellDef>Scopes</th>
          <td mat-cell *matCellDef="let key">{{ key.scopes.join(', ') }}</td>
        </ng-container>
        <ng-container matColumnDef="used">
          <th mat-header-cell *matHeaderCellDef>Last used</th>
          <td mat-cell *matCellDef="let key">{{ key.lastUsedAt ? (key.lastUsedAt | date: 'medium') : 'Never' }}</td>
        </ng-container>
        <ng-container matColumnDef="status">
          <th mat-header-cell *matHeaderCellDef>Status</th>
          <td mat-cell *matCellDef="let key">
            @if (key.revokedAt) {
              <span class="chip bad">Revoked {{ key.revokedAt | date: 'mediumDate' }}</span>
            } @else if (key.expiresAt && isPast(key.expiresAt)) {
              <span class="chip bad">Expired</span>
            } @else {
              <span class="chip ok">Active</span>
              @if (key.expiresAt) {
                <span class="muted"> until {{ key.expiresAt | date: 'mediumDate' }}</span>
              }
            }
          </td>
        </ng-container>
        <ng-container matColumnDef="actions">
          <th mat-header-cell *matHeaderCellDef><span class="cdk-visually-hidden">Actions</span></th>
          <td mat-cell *matCellDef="let key">
            @if (session.can('api-keys:manage') && !key.revokedAt) {
              <button mat-button type="button" [attr.aria-label]="'Revoke ' + key.name" (click)="revoke(key)">Revoke</button>
            }
          </td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="columns"></tr>
        <tr mat-row *matRowDef="let row; columns: columns"></tr>
      </table>
      <kr-pager [pager]="pager" />
    </kr-list-state>
  `,
})
export class ApiKeys {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  protected readonly columns = ['name', 'tenant', 'scopes', 'used', 'status', 'actions'];
  protected readonly pager = new CursorPager();
  protected readonly tenants = tenantOptions(this.orgId);
  protected readonly keys = pagedResource(this.pager, this.orgId, (orgId, page) => this.api.get<Page<ApiKey>>(`/orgs/${orgId}/api-keys`, page));

  protected isPast(date: string): boolean {
    return new Date(date).getTime() <= Date.now();
  }

  protected create(): void {
    this.dialog
      .open(CreateApiKeyDialog, { data: { orgId: this.orgId() }, disableClose: true, width: '520px' })
      .afterClosed()
      .subscribe(() => this.keys.reload());
  }

  protected async revoke(key: ApiKey): Promise<void> {
    const confirmed = await confirm(this.dialog, {
      title: `Revoke ${key.name}?`,
      message: 'Backends using it get 401 within a second, on every Keyring instance. This cannot be undone.',
      confirmLabel: 'Revoke',
      danger: true,
    });
    if (!confirmed) return;
    await runAction(this.snackBar, () => this.api.delete(`/orgs/${this.orgId()}/api-keys/${key.id}`), `${key.name} revoked.`);
    this.keys.reload();
  }
}
