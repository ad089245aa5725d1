import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { memberScope } from '../access/scope';
import { overviewQuery } from './overview.controller';

describe('GET /orgs/:orgId/overview (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let organizationId: string;
  let owner: Session;
  afterAll(() => keyring.close());

  beforeAll(async () => {
    keyring = await startTestApp();
  });

  it("counts tenants, widgets, widgets without a secret or overdue and live API keys, within the member's tenants", async () => {
    ({ organizationId, owner } = await completeSetup(keyring));
    const path = `/api/v1/orgs/${organizationId}/overview`;
    expect((await owner.request('GET', path)).body).toEqual({
      tenants: 0, widgets: 0, widgetsWithoutSecret: 0, widgetsOverdue: 0, activeApiKeys: 0, widgetsRotationRequested: 0, apiKeysExpiringSoon: 0, rotationMaxAgeDays: 90,
    });

    const { tenantId, widgetId } = await createWidget(owner, organizationId, { tenantName: 'A', secret: 'overview-secret-0001' });
    await createWidget(owner, organizationId, { tenantId, widgetName: 'No secret yet' });
    const { tenantId: otherTenant } = await createWidget(owner, organizationId, { tenantName: 'B', secret: 'overview-secret-0002' });
    await keyring.db.query("UPDATE secret_versions SET activated_at = now() - interval '91 days' WHERE widget_id = $1", [widgetId]);
    await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'k', tenantId, scopes: ['user-hash:issue'], expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString() } });
    await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'later', tenantId, scopes: ['user-hash:issue'], expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString() } });
    const revoked = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'r', tenantId: otherTenant, scopes: ['user-hash:issue'] } });
    await owner.request('DELETE', `/api/v1/orgs/${organizationId}/api-keys/${revoked.body.apiKey.id}`);

    expect((await owner.request('GET', path)).body).toEqual({
      tenants: 2, widgets: 3, widgetsWithoutSecret: 1, widgetsOverdue: 1, activeApiKeys: 2, widgetsRotationRequested: 0, apiKeysExpiringSoon: 1, rotationMaxAgeDays: 90,
    });
    const scoped = await addMember(keyring, owner, organizationId, 'scoped@agency.example', 'operator', [otherTenant]);
    expect((await scoped.request('GET', path)).body).toEqual({
      tenants: 1, widgets: 1, widgetsWithoutSecret: 0, widgetsOverdue: 0, activeApiKeys: 0, widgetsRotationRequested: 0, apiKeysExpiringSoon: 0, rotationMaxAgeDays: 90,
    });
  });

  it('keeps the widget counts with every change, and reads them, not the widgets', async () => {
    const path = `/api/v1/orgs/${organizationId}/overview`;
    const widgetsPath = `/api/v1/orgs/${organizationId}/widgets`;
    const { tenantId, widgetId: archived } = await createWidget(owner, organizationId, { tenantName: 'Counted', secret: 'counted-secret-0001' });
    const { widgetId: later } = await createWidget(owner, organizationId, { tenantId, widgetName: 'Gets a secret later' });
    await createWidget(owner, organizationId, { tenantId, widgetName: 'Never gets one' });
    expect((await owner.request('POST', `${widgetsPath}/${archived}/archive`)).status).toBe(200);
    expect((await owner.request('POST', `${widgetsPath}/${later}/secret-versions`, { body: { secret: 'counted-secret-0002' } })).status).toBe(201);
    const member = await addMember(keyring, owner, organizationId, 'counted@agency.example', 'auditor', [tenantId]);
    const counts = async () => {
      const { widgets, widgetsWithoutSecret } = (await member.request('GET', path)).body;
      return { widgets, widgetsWithoutSecret };
    };
    const [recount] = await keyring.db.query(
      `SELECT count(*)::int AS widgets, count(*) FILTER (WHERE active_version IS NULL)::int AS "widgetsWithoutSecret"
         FROM widgets WHERE tenant_id = $1 AND archived_at IS NULL`,
      [tenantId],
    );
    expect(await counts()).toEqual({ widgets: 2, widgetsWithoutSecret: 1 });
    expect(recount).toEqual({ widgets: 2, widgetsWithoutSecret: 1 });

    await owner.request('POST', `/api/v1/orgs/${organizationId}/tenants/${tenantId}/archive`);
    expect(await counts()).toEqual({ widgets: 0, widgetsWithoutSecret: 0 });
    await owner.request('POST', `/api/v1/orgs/${organizationId}/tenants/${tenantId}/unarchive`);
    expect(await counts()).toEqual({ widgets: 2, widgetsWithoutSecret: 1 });

    // The figure is the counter's: the overview does not count widgets on each view.
    await keyring.db.query('UPDATE tenant_widget_counts SET live = 5000 WHERE tenant_id = $1', [tenantId]);
    expect(await counts()).toEqual({ widgets: 5000, widgetsWithoutSecret: 1 });
    // Nor does the tenant list, for each tenant of a page.
    const listed = await owner.request('GET', `/api/v1/orgs/${organizationId}/tenants?q=Counted`);
    expect(listed.body.items.map((tenant: { widgetCount: number }) => tenant.widgetCount)).toEqual([5000]);
    expect((await owner.request('GET', `/api/v1/orgs/${organizationId}/tenants/${tenantId}`)).body.widgetCount).toBe(5000);
  });
});

describe('the overview at scale: overdue widgets (real app, real PostgreSQL)', () => {
  const OVERDUE = 2000;
  let keyring: TestApp;
  afterAll(() => keyring.close());

  it('counts the whole organization\'s overdue widgets in the age index, less archived ones, without reading each widget', async () => {
    keyring = await startTestApp();
    const { organizationId, owner } = await completeSetup(keyring);
    const path = `/api/v1/orgs/${organizationId}/overview`;
    const { tenantId, widgetId: archived } = await createWidget(owner, organizationId, { tenantName: 'Busy', secret: 'overdue-secret-0001' });
    await createWidget(owner, organizationId, { tenantId, widgetName: 'Live', secret: 'overdue-secret-0002' });
    const { tenantId: archivedTenant } = await createWidget(owner, organizationId, { tenantName: 'Gone', secret: 'overdue-secret-0003' });
    // Many widgets whose secret is past the 90-day policy (seeded as the owner; the ciphertexts are never opened).
    await keyring.db.query(
      `WITH w AS (INSERT INTO widgets (organization_id, tenant_id, name, active_version)
                  SELECT $1, $2, 'Seeded ' || i, 1 FROM generate_series(1, $3) i RETURNING id)
       INSERT INTO secret_versions (widget_id, version, organization_id, state, ciphertext, master_key_id, fingerprint, activated_at)
       SELECT id, 1, $1, 'active', 'x', 'k', 'XXXX-XXXX-XXXX-XXXX', now() - interval '100 days' FROM w`,
      [organizationId, tenantId, OVERDUE],
    );
    await keyring.db.query("UPDATE secret_versions SET activated_at = now() - interval '100 days' WHERE organization_id = $1", [organizationId]);
    expect((await owner.request('POST', `/api/v1/orgs/${organizationId}/widgets/${archived}/archive`)).status).toBe(200);
    expect((await owner.request('POST', `/api/v1/orgs/${organizationId}/tenants/${archivedTenant}/archive`)).status).toBe(200);
    await keyring.db.query('VACUUM ANALYZE secret_versions, widgets, tenants');

    // The seeded ones and 'Live'; not the archived widget, nor the widget of the archived tenant.
    expect((await owner.request('GET', path)).body.widgetsOverdue).toBe(OVERDUE + 1);
    const member = await addMember(keyring, owner, organizationId, 'busy@agency.example', 'auditor', [tenantId]);
    expect((await member.request('GET', path)).body.widgetsOverdue).toBe(OVERDUE + 1);

    const { sql, params } = overviewQuery(memberScope(organizationId, owner.userId, null));
    const [{ 'QUERY PLAN': [plan] }] = await keyring.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
    const widgetRowsRead = flatten(plan.Plan)
      .filter((node) => node['Relation Name'] === 'widgets')
      .reduce((sum, node) => sum + node['Actual Rows'] * (node['Actual Loops'] ?? 1), 0);
    expect({ widgetRowsRead: widgetRowsRead < 100, plan: widgetRowsRead < 100 ? null : plan }).toEqual({ widgetRowsRead: true, plan: null });
  }, 60_000);
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}
