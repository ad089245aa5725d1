import { DatePipe } from '@angular/common';
import { Component, computed, inject, input, resource } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import type { Member, Page, Tenant, TenantRef } from '@keyring/contracts';
import { ApiKeyList } from '../api-keys/api-key-list';
import { Api } from '../core/api';
import { Session } from '../core/session';
import { RecentActivity } from '../dashboard/recent-activity';
import { UsagePanel } from '../dashboard/usage-panel';
import { ListState } from '../shared/list-state';
import { loaded } from '../shared/loaded';
import { Widgets } from '../widgets/widgets';
import { setTenantArchived } from './archive-tenant';

/**
 * One client on one page: its widgets with their secret status, its API keys (new ones for it), the members limited
 * to it, its usage and its recent activity; archive and unarchive after saying what that stops.
 */
@Component({
  selector: 'kr-tenant-page',
  imports: [DatePipe, MatButtonModule, MatIconModule, RouterLink, ApiKeyList, ListState, RecentActivity, UsagePanel, Widgets],
  templateUrl: './tenant-page.html',
  styles: `
    section { margin-top: 16px; }
    .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 24px; }
    .people { list-style: none; margin: 0; padding: 0; }
    .people li { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; padding: 8px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
  `,
})
export class TenantPage {
  protected readonly loaded = loaded;
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  readonly orgId = input.required<string>();
  readonly tenantId = input.required<string>();
  // The widget list's search, filter and page, in this page's URL.
  readonly q = input<string>();
  readonly status = input<string>();
  readonly pages = input<string>();

  protected readonly tenant = resource({
    params: () => ({ orgId: this.orgId(), id: this.tenantId() }),
    loader: ({ params }) => this.api.get<Tenant>(`/orgs/${params.orgId}/tenants/${params.id}`),
  });
  protected readonly ref = computed<TenantRef | undefined>(() => {
    const tenant = loaded(this.tenant);
    return tenant && { id: tenant.id, name: tenant.name };
  });
  protected readonly members = resource({
    params: () => ({ orgId: this.orgId(), id: this.tenantId() }),
    loader: ({ params }) => this.api.get<Page<Member>>(`/orgs/${params.orgId}/members`, { tenantId: params.id, limit: 200 }),
  });

  protected async setArchived(tenant: Tenant, archive: boolean): Promise<void> {
    if (await setTenantArchived({ api: this.api, dialog: this.dialog, snackBar: this.snackBar }, this.orgId(), tenant, archive)) this.tenant.reload();
  }

  /** The tenant is a single value: never "empty". */
  protected readonly never = () => false;
}
