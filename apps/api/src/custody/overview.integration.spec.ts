import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

describe('GET /orgs/:orgId/overview (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  afterAll(() => keyring.close());

  it("counts tenants, widgets, widgets without a secret or overdue and live API keys, within the member's tenants", async () => {
    keyring = await startTestApp();
    const { organizationId, owner } = await completeSetup(keyring);
    const path = `/api/v1/orgs/${organizationId}/overview`;
    expect((await owner.request('GET', path)).body).toEqual({
      tenants: 0, widgets: 0, widgetsWithoutSecret: 0, widgetsOverdue: 0, activeApiKeys: 0, rotationMaxAgeDays: 90,
    });

    const { tenantId, widgetId } = await createWidget(owner, organizationId, { tenantName: 'A', secret: 'overview-secret-0001' });
    await createWidget(owner, organizationId, { tenantId, widgetName: 'No secret yet' });
    const { tenantId: otherTenant } = await createWidget(owner, organizationId, { tenantName: 'B', secret: 'overview-secret-0002' });
    await keyring.db.query("UPDATE secret_versions SET activated_at = now() - interval '91 days' WHERE widget_id = $1", [widgetId]);
    await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'k', tenantId, scopes: ['user-hash:issue'] } });
    const revoked = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'r', tenantId: otherTenant, scopes: ['user-hash:issue'] } });
    await owner.request('DELETE', `/api/v1/orgs/${organizationId}/api-keys/${revoked.body.apiKey.id}`);

    expect((await owner.request('GET', path)).body).toEqual({
      tenants: 2, widgets: 3, widgetsWithoutSecret: 1, widgetsOverdue: 1, activeApiKeys: 1, rotationMaxAgeDays: 90,
    });
    const scoped = await addMember(keyring, owner, organizationId, 'scoped@agency.example', 'operator', [otherTenant]);
    expect((await scoped.request('GET', path)).body).toEqual({
      tenants: 1, widgets: 1, widgetsWithoutSecret: 0, widgetsOverdue: 0, activeApiKeys: 0, rotationMaxAgeDays: 90,
    });
  });
});
