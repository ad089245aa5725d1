import type { Session } from './identity-fixtures';

/** A tenant and a widget (with `secret` as version 1 when given), created through the API. */
export async function createWidget(
  session: Session,
  organizationId: string,
  options: { tenantName?: string; tenantId?: string; widgetName?: string; secret?: string; tokenPolicy?: object } = {},
): Promise<{ tenantId: string; widgetId: string }> {
  let tenantId = options.tenantId;
  if (!tenantId) {
    const tenant = await session.request('POST', `/api/v1/orgs/${organizationId}/tenants`, { body: { name: options.tenantName ?? `Tenant ${Math.random()}` } });
    if (tenant.status !== 201) throw new Error(`tenant: ${tenant.status} ${tenant.text}`);
    tenantId = tenant.body.id as string;
  }
  const widget = await session.request('POST', `/api/v1/orgs/${organizationId}/widgets`, {
    body: {
      tenantId,
      // A tenant's live widgets have distinct names: another in an existing tenant gets its own.
      name: options.widgetName ?? (options.tenantId ? `Site chat ${Math.random()}` : 'Site chat'),
      huggyWidgetUuid: '7c1b0f7e-0000-4000-8000-000000000001',
      huggyCompanyId: '4242',
      ...(options.secret && { secret: options.secret }),
      ...(options.tokenPolicy && { tokenPolicy: options.tokenPolicy }),
    },
  });
  if (widget.status !== 201) throw new Error(`widget: ${widget.status} ${widget.text}`);
  return { tenantId, widgetId: widget.body.id };
}
