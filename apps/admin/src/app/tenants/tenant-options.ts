import { computed, inject, resource } from '@angular/core';
import type { Page, Tenant } from '@keyring/contracts';
import { Api } from '../core/api';
import { loaded } from '../shared/loaded';

/**
 * The organization's tenants (up to 200), for the selects and labels of other pages, with their names by id.
 * Call in a field initializer.
 */
export function tenantOptions(orgId: () => string) {
  const api = inject(Api);
  const tenants = resource({ params: orgId, loader: ({ params }) => api.get<Page<Tenant>>(`/orgs/${params}/tenants`, { limit: 200 }) });
  const names = computed(() => new Map((loaded(tenants)?.items ?? []).map((tenant) => [tenant.id, tenant.name])));
  return Object.assign(tenants, { names });
}

/**
 * Whether the organization has a tenant at all (widgets and API keys need one); undefined while unknown. Call in a
 * field initializer.
 */
export function hasAnyTenant(orgId: () => string) {
  const api = inject(Api);
  const first = resource({ params: orgId, loader: ({ params }) => api.get<Page<Tenant>>(`/orgs/${params}/tenants`, { limit: 1 }) });
  return computed(() => {
    const page = loaded(first);
    return page && page.items.length > 0;
  });
}
