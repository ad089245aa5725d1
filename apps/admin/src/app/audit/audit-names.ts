import { computed, inject, resource } from '@angular/core';
import type { Page, Widget } from '@keyring/contracts';
import { Api } from '../core/api';
import { loaded } from '../shared/loaded';
import { tenantOptions } from '../tenants/tenant-options';
import type { AuditNames } from './audit-sentence';

/**
 * The names of the organization's widgets and tenants (up to 200 each, from the lists the console already reads),
 * for sentences about audit events. Call in a field initializer.
 */
export function auditNames(orgId: () => string) {
  const api = inject(Api);
  const tenants = tenantOptions(orgId);
  const widgets = resource({ params: orgId, loader: ({ params }) => api.get<Page<Widget>>(`/orgs/${params}/widgets`, { limit: 200 }) });
  const names = computed<AuditNames>(() => ({
    orgId: orgId(),
    widgets: new Map((loaded(widgets)?.items ?? []).map((widget) => [widget.id, widget])),
    tenants: tenants.names(),
  }));
  return { tenants, widgets, names };
}
