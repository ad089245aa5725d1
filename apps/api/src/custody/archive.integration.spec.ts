import { createWidget } from '../../test/custody-fixtures';
import { completeSetup, OWNER, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { timeUntil } from '../../test/time-until';

const TENANT_ARCHIVED = {
  type: 'urn:keyring:problem:tenant-archived',
  status: 403,
  detail: "This API key's tenant is archived in Keyring, so it can no longer sign or verify; ask the agency.",
};

/**
 * Archiving a tenant stops everything that acts for it, on every instance, and unarchiving restores exactly what was
 * active. Instance A takes the console's changes; instance B serves the tenant API from its caches.
 */
describe('archive that stops everything (two instances, real PostgreSQL)', () => {
  let a: TestApp;
  let b: TestApp;
  let owner: Session;
  let orgId: string;
  let tenantId: string;
  let widgetId: string;
  let archivedWidgetId: string;
  let key: string;
  let revokedKey: string;
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;
  const onB = (path: string, body: object, apiKey = key) =>
    b.request('POST', `/api/v1/widgets/${path}`, { body, headers: { authorization: `Bearer ${apiKey}` } });
  const issueOnB = (widget = widgetId, apiKey = key) => onB(`${widget}/user-hash`, { userIdentifier: 'visitor' }, apiKey);
  const auditCount = async (action: string, targetId: string) =>
    (await owner.request('GET', api(`/audit-events?action=${action}&targetId=${targetId}`))).body.items.length;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({}, a.db);
    ({ organizationId: orgId, owner } = await completeSetup(a));
    ({ tenantId, widgetId } = await createWidget(owner, orgId, { tenantName: 'Leaving client', secret: 'archive-secret-live-1' }));
    ({ widgetId: archivedWidgetId } = await createWidget(owner, orgId, { tenantId, widgetName: 'Old site', secret: 'archive-secret-old-1' }));
    const newKey = async (name: string) =>
      (await owner.request('POST', api('/api-keys'), { body: { name, tenantId, scopes: ['user-hash:issue', 'user-hash:verify'] } })).body;
    const live = await newKey('Live backend');
    const revoked = await newKey('Old backend');
    key = live.key;
    revokedKey = revoked.key;
    expect((await owner.request('DELETE', api(`/api-keys/${revoked.apiKey.id}`))).status).toBe(200);
    expect((await owner.request('POST', api(`/widgets/${archivedWidgetId}/archive`))).status).toBe(200);
  });
  afterAll(async () => {
    await b.app.close();
    await a.close();
  });

  it("stops the tenant's keys signing and verifying on the other instance within 1 s, saying the tenant is archived", async () => {
    const token = (await issueOnB()).body.userHash;
    expect((await issueOnB()).status).toBe(200); // warm: served from B's cache

    const archived = await owner.request('POST', api(`/tenants/${tenantId}/archive`));
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    const elapsed = await timeUntil(issueOnB, (response) => response.status === 403);
    expect(elapsed).toBeLessThan(1_000);

    for (const response of [
      await issueOnB(),
      await onB(`${widgetId}/user-hash/batch`, { userIdentifiers: ['one', 'two'] }),
      await onB(`${widgetId}/user-hash/verify`, { userHash: token }),
    ]) {
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject(TENANT_ARCHIVED);
    }
  });

  it('refuses new API keys, widgets, secrets, rollbacks, test tokens, reveals and changes for it and its widgets', async () => {
    const refusals = [
      ['POST', '/api-keys', { name: 'Sneaky', tenantId, scopes: ['user-hash:issue'] }, 'This tenant is archived; it cannot be given new API keys. Unarchive it first.'],
      ['POST', '/widgets', { tenantId, name: 'Another' }, 'This tenant is archived; it cannot be given new widgets. Unarchive it first.'],
      ['PATCH', `/tenants/${tenantId}`, { name: 'Renamed client' }, 'This tenant is archived; it cannot be renamed. Unarchive it first.'],
      ['POST', `/widgets/${widgetId}/secret-versions`, { secret: 'archive-secret-live-2' }, 'rotated'],
      ['POST', `/widgets/${widgetId}/secret-versions/1/activate`, undefined, 'rolled back'],
      ['POST', `/widgets/${widgetId}/test-user-hash`, { userIdentifier: 'visitor' }, 'test-signed'],
      ['POST', `/widgets/${widgetId}/secret-versions/1/reveal`, { password: OWNER.password }, 'revealed'],
      ['PATCH', `/widgets/${widgetId}`, { name: 'Renamed' }, 'changed'],
    ] as const;
    for (const [method, path, body, said] of refusals) {
      const response = await owner.request(method, api(path), { body });
      const detail = said.startsWith('This') ? said : `This widget's tenant is archived; the widget cannot be ${said}. Unarchive the tenant first.`;
      expect({ path, status: response.status, type: response.body.type, detail: response.body.detail }).toEqual({
        path,
        status: 409,
        type: 'urn:keyring:problem:tenant-archived',
        detail,
      });
    }
    const versions = await owner.request('GET', api(`/widgets/${widgetId}/secret-versions`));
    expect(versions.body.items.map((version: { version: number }) => version.version)).toEqual([1]);
  });

  it('archiving twice changes nothing and audits nothing', async () => {
    const before = (await owner.request('GET', api(`/tenants/${tenantId}`))).body;
    const again = await owner.request('POST', api(`/tenants/${tenantId}/archive`));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(before);
    expect(await auditCount('tenant.archived', tenantId)).toBe(1);
  });

  it('unarchiving restores exactly what was active, on the other instance within 1 s', async () => {
    const restored = await owner.request('POST', api(`/tenants/${tenantId}/unarchive`));
    expect(restored.status).toBe(200);
    expect(restored.body.archivedAt).toBeNull();
    const elapsed = await timeUntil(issueOnB, (response) => response.status === 200);
    expect(elapsed).toBeLessThan(1_000);
    // What was stopped on its own before the archive stays stopped.
    expect((await issueOnB(archivedWidgetId)).body.type).toBe('urn:keyring:problem:widget-not-found');
    expect((await issueOnB(widgetId, revokedKey)).body.type).toBe('urn:keyring:problem:api-key-revoked');
    expect((await owner.request('POST', api(`/tenants/${tenantId}/unarchive`))).status).toBe(200);
    expect(await auditCount('tenant.unarchived', tenantId)).toBe(1);
  });

  it('an archived widget cannot be renamed, revealed, rotated or test-signed; archiving it twice audits once', async () => {
    for (const [method, path, body, said] of [
      ['PATCH', '', { name: 'New name' }, 'changed'],
      ['POST', '/secret-versions/1/reveal', { password: OWNER.password }, 'revealed'],
      ['POST', '/secret-versions', { secret: 'archive-secret-old-2' }, 'rotated'],
      ['POST', '/test-user-hash', { userIdentifier: 'visitor' }, 'test-signed'],
    ] as const) {
      const response = await owner.request(method, api(`/widgets/${archivedWidgetId}${path}`), { body });
      expect({ path, status: response.status, type: response.body.type, detail: response.body.detail }).toEqual({
        path,
        status: 409,
        type: 'urn:keyring:problem:widget-archived',
        detail: `This widget is archived; it cannot be ${said}.`,
      });
    }
    const again = await owner.request('POST', api(`/widgets/${archivedWidgetId}/archive`));
    expect(again.status).toBe(200);
    expect(await auditCount('widget.archived', archivedWidgetId)).toBe(1);
  });

  it('revoking a revoked key changes nothing and audits nothing', async () => {
    const keys = (await owner.request('GET', api('/api-keys'))).body.items as { id: string; name: string; revokedAt: string }[];
    const revoked = keys.find((apiKey) => apiKey.name === 'Old backend')!;
    const again = await owner.request('DELETE', api(`/api-keys/${revoked.id}`));
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.revokedAt);
    expect(await auditCount('api_key.revoked', revoked.id)).toBe(1);
  });
});
