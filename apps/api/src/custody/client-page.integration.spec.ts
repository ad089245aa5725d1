import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { UsageRecorder } from '../tenant-api/usage-recorder';

/**
 * What the console's client page reads about one tenant: the summary of what archiving stops, its API keys and
 * members (each with tenant names, however many tenants there are), and its usage.
 */
describe('one client: summary, API keys, members and usage by tenant (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let owner: Session;
  let orgId: string;
  let north: string;
  let south: string;
  let archived: string;
  let northWidget: string;
  let northKey: string;
  const api = (path: string) => `/api/v1/orgs/${orgId}${path}`;

  beforeAll(async () => {
    keyring = await startTestApp({ KEYRING_USAGE_FLUSH_SECONDS: '3600' });
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    ({ tenantId: north, widgetId: northWidget } = await createWidget(owner, orgId, { tenantName: 'North', widgetName: 'Shop', secret: 'client-page-secret-1' }));
    await createWidget(owner, orgId, { tenantId: north, widgetName: 'Blog' });
    const { widgetId: gone } = await createWidget(owner, orgId, { tenantId: north, widgetName: 'Old', secret: 'client-page-secret-2' });
    await owner.request('POST', api(`/widgets/${gone}/archive`));
    ({ tenantId: south } = await createWidget(owner, orgId, { tenantName: 'South' }));
    ({ tenantId: archived } = await createWidget(owner, orgId, { tenantName: 'Archived' }));
    const key = async (name: string, tenantId: string) =>
      (await owner.request('POST', api('/api-keys'), { body: { name, tenantId, scopes: ['user-hash:issue'] } })).body;
    const northCreated = await key('North backend', north);
    northKey = northCreated.key;
    const revoked = await key('North old backend', north);
    await owner.request('DELETE', api(`/api-keys/${revoked.apiKey.id}`));
    await key('South backend', south);
    await owner.request('POST', api(`/tenants/${archived}/archive`));
    // North only; North and (archived) Archived: left with nothing once North goes too; North and South; South only.
    await addMember(keyring, owner, orgId, 'north@agency.example', 'operator', [north]);
    await addMember(keyring, owner, orgId, 'north-archived@agency.example', 'operator', [north, archived]);
    await addMember(keyring, owner, orgId, 'north-south@agency.example', 'auditor', [south, north]);
    await addMember(keyring, owner, orgId, 'south@agency.example', 'admin', [south]);
  });
  afterAll(() => keyring.close());

  it('sums up what archiving the tenant stops', async () => {
    const summary = await owner.request('GET', api(`/tenants/${north}/summary`));
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({ tenantId: north, widgets: 2, widgetsWithSecret: 1, activeApiKeys: 1, membersLimitedHere: 3, membersOnlyHere: 2 });
  });

  it('answers 404 for a tenant out of the caller\'s tenants or of another organization, with the problem', async () => {
    const southAdmin = await addMember(keyring, owner, orgId, 'south-reader@agency.example', 'auditor', [south]);
    for (const [who, tenantId] of [[southAdmin, north], [owner, '7d2e8c1a-0000-4000-8000-000000000001'], [owner, 'nope']] as const) {
      const response = await who.request('GET', api(`/tenants/${tenantId}/summary`));
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ type: 'urn:keyring:problem:tenant-not-found', detail: 'No such tenant.' });
    }
  });

  it("lists one tenant's API keys, each with its tenant's name", async () => {
    const all = await owner.request('GET', api('/api-keys'));
    expect(all.body.items.map((key: { name: string; tenantName: string }) => `${key.name} (${key.tenantName})`)).toEqual([
      'South backend (South)',
      'North old backend (North)',
      'North backend (North)',
    ]);
    const northOnly = await owner.request('GET', api(`/api-keys?tenantId=${north}`));
    expect(northOnly.body.items.map((key: { name: string }) => key.name)).toEqual(['North old backend', 'North backend']);
    const created = await owner.request('POST', api('/api-keys'), { body: { name: 'Another', tenantId: south, scopes: ['user-hash:issue'] } });
    expect(created.body.apiKey.tenantName).toBe('South');
    expect((await owner.request('DELETE', api(`/api-keys/${created.body.apiKey.id}`))).body.tenantName).toBe('South');
    const bad = await owner.request('GET', api('/api-keys?tenantId=north'));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'tenantId', message: 'tenantId must be a tenant id (UUID)' }]);
  });

  it('lists the members limited to a tenant, each with the names of their tenants as the reader may see them', async () => {
    const limited = await owner.request('GET', api(`/members?tenantId=${north}`));
    expect(limited.body.items.map((member: { email: string; tenants: { name: string }[] }) => `${member.email}: ${member.tenants.map((tenant) => tenant.name).join(', ')}`)).toEqual([
      'north-archived@agency.example: Archived, North',
      'north-south@agency.example: North, South',
      'north@agency.example: North',
    ]);
    const everyone = await owner.request('GET', api('/members'));
    expect(everyone.body.items.find((member: { email: string }) => member.email === 'owner@agency.example')).toMatchObject({ tenantIds: null, tenants: null });
    // A reader limited to South sees nothing of North: neither its members by filter nor its name among others' tenants.
    const southAdmin = await keyring.request('POST', '/api/v1/auth/login', { body: { email: 'south@agency.example', password: 'admin-password-harbor-7' } });
    const headers = { cookie: southAdmin.headers.get('set-cookie')!.split(';')[0] };
    expect((await keyring.request('GET', api(`/members?tenantId=${north}`), { headers })).body.items).toEqual([]);
    const seen = await keyring.request('GET', api('/members'), { headers });
    expect(seen.text).not.toContain('North');
    expect(seen.body.items.find((member: { email: string }) => member.email === 'north-south@agency.example').tenants).toEqual([{ id: south, name: 'South' }]);
  });

  it("charts one tenant's usage", async () => {
    const issued = await keyring.request('POST', `/api/v1/widgets/${northWidget}/user-hash`, { body: { userIdentifier: 'visitor' }, headers: { authorization: `Bearer ${northKey}` } });
    expect(issued.status).toBe(200);
    await keyring.app.get(UsageRecorder).flush();
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const total = async (query: string) =>
      ((await owner.request('GET', api(`/usage?granularity=minute&from=${from}${query}`))).body.items as { issued: number }[]).reduce((sum, item) => sum + item.issued, 0);
    expect(await total(`&tenantId=${north}`)).toBe(1);
    expect(await total(`&tenantId=${south}`)).toBe(0);
  });
});
