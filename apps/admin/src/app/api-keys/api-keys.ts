import { Component, inject, input } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { TenantPicker } from '../tenants/tenant-picker';
import { ApiKeyList } from './api-key-list';

/** The keys tenants' backends use to ask for userHashes: create (shown once), list, revoke; by tenant if chosen. */
@Component({
  selector: 'kr-api-keys',
  imports: [FormsModule, ApiKeyList, TenantPicker],
  template: `
    <div class="page-header"><h1>API keys</h1></div>
    <p class="muted">A key belongs to one tenant and signs only for that tenant's widgets. Keyring stores only a hash of each key.</p>
    <div class="toolbar-row">
      <kr-tenant-picker [orgId]="orgId()" label="Tenant" placeholder="All tenants" [allowNone]="true" [ngModel]="tenantId() ?? ''" (ngModelChange)="filter($event)" />
    </div>
    <kr-api-key-list [orgId]="orgId()" [tenantId]="tenantId()" />
  `,
})
export class ApiKeys {
  private readonly router = inject(Router);
  readonly orgId = input.required<string>();
  /** The tenant filter, in the URL (bound from the query string). */
  readonly tenantId = input<string>();

  protected filter(tenantId: string): void {
    void this.router.navigate([], { queryParams: { tenantId: tenantId || null }, queryParamsHandling: 'merge', replaceUrl: true });
  }
}
