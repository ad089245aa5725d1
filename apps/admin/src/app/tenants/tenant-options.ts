import { inject, resource } from '@angular/core';
import type { Page, Tenant } from '@keyring/contracts';
import { Api } from '../core/api';

/** The organization's tenants (up to 200), for the selects and labels of other pages. Call in a field initializer. */
export function tenantOptions(orgId: () => string) {
  const api = inject(Api);
  return resource({ params: orgId, loader: ({ params }) => api.get<Page<Tenant>>(`/orgs/${params}/tenants`, { limit: 200 }) });
}
