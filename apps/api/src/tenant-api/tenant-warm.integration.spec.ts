import { createWidget } from '../../test/custody-fixtures';
import { completeSetup, type Session } from '../../test/identity-fixtures';
import { statementsDuring } from '../../test/sql-statements';
import { startTestApp, type TestApp } from '../../test/test-app';
import { timeUntil } from '../../test/time-until';
import { UserHashService } from './user-hash.service';

describe('tenant API cache warmed a tenant at a time (real app, real PostgreSQL)', () => {
  const WIDGETS = 6;
  let keyring: TestApp;
  let owner: Session;
  let orgId: string;
  let tenantId: string;
  let widgetIds: string[];
  let otherTenantWidget: string;
  let key: string;
  const issue = (widgetId: string) =>
    keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'visitor' }, headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    const first = await createWidget(owner, orgId, { tenantName: 'Warm', secret: 'warm-secret-000' });
    tenantId = first.tenantId;
    widgetIds = [first.widgetId];
    for (let i = 1; i < WIDGETS; i++) widgetIds.push((await createWidget(owner, orgId, { tenantId, widgetName: `W${i}`, secret: `warm-secret-00${i}` })).widgetId);
    ({ widgetId: otherTenantWidget } = await createWidget(owner, orgId, { tenantName: 'Other', secret: 'other-secret-0001' }));
    const created = await owner.request('POST', `/api/v1/orgs/${orgId}/api-keys`, { body: { name: 'Backend', tenantId, scopes: ['user-hash:issue'] } });
    ({ key } = created.body);
  });
  afterAll(() => keyring.close());

  it("loads all of a tenant's widgets on its first miss: the others are then answered without the database", async () => {
    const cache = keyring.app.get(UserHashService).cache;
    const first = await statementsDuring(() => issue(widgetIds[0]));
    expect(first.length).toBeGreaterThan(0);
    expect(cache.size).toBe(WIDGETS);
    const rest = await statementsDuring(async () => {
      const responses = await Promise.all(widgetIds.slice(1).map(issue));
      expect(responses.map((response) => response.status)).toEqual(Array(WIDGETS - 1).fill(200));
    });
    expect(rest).toEqual([]);
  });

  it('loads a widget the warm load did not hold alone, and keeps no widget of another tenant', async () => {
    const { widgetId: added } = await createWidget(owner, orgId, { tenantId, widgetName: 'Added later', secret: 'warm-secret-new' });
    const alone = await statementsDuring(() => issue(added));
    expect(alone.length).toBeGreaterThan(0);
    // One widget's queries (widget, tenant, versions), not the tenant's widget list again.
    expect(alone.filter((sql) => /FROM secret_versions v JOIN widgets w/.test(sql))).toEqual([]);
    const other = await issue(otherTenantWidget);
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ type: 'urn:keyring:problem:widget-not-found' });
    expect(keyring.app.get(UserHashService).cache.peek(otherTenantWidget)).toBeUndefined();
  });

  it('warms the tenant again on its next miss after the tenant changed', async () => {
    expect((await owner.request('POST', `/api/v1/orgs/${orgId}/tenants/${tenantId}/archive`)).status).toBe(200);
    expect((await owner.request('POST', `/api/v1/orgs/${orgId}/tenants/${tenantId}/unarchive`)).status).toBe(200);
    const cache = keyring.app.get(UserHashService).cache;
    // The change feed delivers both changes asynchronously: wait until the cache is empty and stays so.
    await emptyForAWhile(() => cache.size);
    expect((await issue(widgetIds[2])).status).toBe(200);
    expect(cache.size).toBe(WIDGETS + 1);
  });

  it('starts warm: a new instance holds the widgets of every tenant with a working key before its first request, and again after a reconnect', async () => {
    const second = await startTestApp({}, keyring.db);
    try {
      const cache = second.app.get(UserHashService).cache;
      expect(cache.size).toBe(WIDGETS + 1); // the keyed tenant's widgets; the tenant without a key is not loaded
      expect(cache.peek(otherTenantWidget)).toBeUndefined();
      const { hits, misses } = cache;
      const answer = await second.request('POST', `/api/v1/widgets/${widgetIds[3]}/user-hash`, { body: { userIdentifier: 'v' }, headers: { authorization: `Bearer ${key}` } });
      expect(answer.status).toBe(200);
      expect([cache.hits - hits, cache.misses - misses]).toEqual([1, 0]); // the first request is a hit

      // The change listener's connection dropped: the cache is emptied (changes may have been missed) and warmed anew.
      const before = cache.peek(widgetIds[0]);
      expect(before).toBeDefined();
      await keyring.db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'keyring-listener'");
      // Loaded anew with no request asking: another object for the same widget, and the whole tenant again.
      await timeUntil(async () => cache.peek(widgetIds[0]), (entry) => entry !== undefined && entry !== before, 10_000);
      await timeUntil(async () => cache.size, (size) => size === WIDGETS + 1, 5_000);
    } finally {
      await second.close();
    }
  });
});

async function emptyForAWhile(size: () => number, settleMs = 300, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let emptySince = Date.now();
  while (Date.now() < deadline) {
    if (size() !== 0) emptySince = Date.now();
    else if (Date.now() - emptySince >= settleMs) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the cache still holds ${size()} entries ${timeoutMs} ms after the tenant changed`);
}
