import { DatePipe } from '@angular/common';
import { Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { ApiKey, Page, TenantRef } from '@keyring/contracts';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { confirm } from '../shared/confirm-dialog';
import { runAction } from '../shared/actions';
import { CursorPager, pagedResource } from '../shared/cursor-pager';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';
import { Pager } from '../shared/pager';
import { hasAnyTenant } from '../tenants/tenant-options';
import { CreateApiKeyDialog, type CreateApiKeyData } from './create-api-key-dialog';

/**
 * API keys with "New API key" and revoke: every tenant's (the API keys page, optionally filtered by `tenantId`) or,
 * with `tenant`, one tenant's, whose new keys are for it (its client page).
 */
@Component({
  selector: 'kr-api-key-list',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatTableModule, RouterLink, ListState, Pager],
  template: `
    @if (session.can('api-keys:manage')) {
      <div class="toolbar-row">
        <button mat-flat-button type="button" [disabled]="!canCreate()" (click)="create()"><mat-icon>add</mat-icon>New API key</button>
      </div>
    }
    <kr-list-state [of]="keys" [empty]="tenant() ? 'No API keys for this tenant yet.' : 'No API keys yet: create one for each client backend that asks for userHashes.'">
      <table mat-table [dataSource]="loaded(keys)?.items ?? []">
        <ng-container matColumnDef="name">
          <th mat-header-cell *matHeaderCellDef>Name</th>
          <td mat-cell *matCellDef="let key">{{ key.name }}<br /><span class="mono muted">{{ key.prefix }}…</span></td>
        </ng-container>
        <ng-container matColumnDef="tenant">
          <th mat-header-cell *matHeaderCellDef>Tenant</th>
          <td mat-cell *matCellDef="let key"><a [routerLink]="['/orgs', orgId(), 'tenants', key.tenantId]">{{ key.tenantName }}</a></td>
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
        <tr mat-header-row *matHeaderRowDef="columns()"></tr>
        <tr mat-row *matRowDef="let row; columns: columns()"></tr>
      </table>
      <kr-pager [pager]="pager" />
    </kr-list-state>
  `,
})
export class ApiKeyList {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  /** Only this tenant's keys (a filter of the API keys page). */
  readonly tenantId = input<string>();
  /** The one tenant of a client page: its keys only, and new keys are for it. */
  readonly tenant = input<TenantRef>();
  private readonly anyTenant = hasAnyTenant(this.orgId);
  protected readonly canCreate = computed(() => (this.tenant() ? true : this.anyTenant()));
  protected readonly columns = computed(() => (this.tenant() ? ['name', 'scopes', 'used', 'status', 'actions'] : ['name', 'tenant', 'scopes', 'used', 'status', 'actions']));
  protected readonly pager = new CursorPager();
  protected readonly keys = pagedResource(
    this.pager,
    () => ({ orgId: this.orgId(), tenantId: this.tenant()?.id ?? this.tenantId() }),
    ({ orgId, tenantId }, page) => this.api.get<Page<ApiKey>>(`/orgs/${orgId}/api-keys`, { tenantId: tenantId || undefined, ...page }),
  );

  protected isPast(date: string): boolean {
    return new Date(date).getTime() <= Date.now();
  }

  protected create(): void {
    this.dialog
      .open(CreateApiKeyDialog, { data: { orgId: this.orgId(), tenant: this.tenant() } satisfies CreateApiKeyData, disableClose: true, width: '520px' })
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
