import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { UsageRecorder } from '../tenant-api/usage-recorder';
import { UsageRollup } from '../tenant-api/usage-rollup';

/**
 * The attack of issue #11: a member limited to tenant B (an admin, and an auditor) reads everything the API lets
 * them read about the organization, aiming at tenant A. Nothing of A may come back: not its ids, its widget, its
 * keys, its tested visitors, nor the counts of its traffic.
 */
describe('a member limited to one tenant sees nothing of another (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let scoped: Record<'admin' | 'auditor', Session>;
  let a: { tenantId: string; widgetId: string };
  let b: { tenantId: string; widgetId: string };
  const SECRETS_OF_A = ['visitor-of-tenant-a', 'Key of tenant A', 'Widget of tenant A'];

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    a = await createWidget(owner, orgId, { tenantName: 'Tenant A', widgetName: 'Widget of tenant A', secret: 'isolation-secret-of-a' });
    b = await createWidget(owner, orgId, { tenantName: 'Tenant B', widgetName: 'Widget of tenant B', secret: 'isolation-secret-of-b' });
    await owner.request('POST', `/api/v1/orgs/${orgId}/widgets/${a.widgetId}/test-user-hash`, { body: { userIdentifier: 'visitor-of-tenant-a' } });
    const keyOfA = await owner.request('POST', `/api/v1/orgs/${orgId}/api-keys`, {
      body: { name: 'Key of tenant A', tenantId: a.tenantId, scopes: ['user-hash:issue'] },
    });
    const issued = await keyring.request('POST', `/api/v1/widgets/${a.widgetId}/user-hash`, {
      body: { userIdentifier: 'visitor-of-tenant-a' },
      headers: { authorization: `Bearer ${keyOfA.body.key}` },
    });
    expect(issued.status).toBe(200);
    await keyring.app.get(UsageRecorder).flush();
    await keyring.app.get(UsageRollup).run();
    await addMember(keyring, owner, orgId, 'member-of-a@agency.example', 'operator', [a.tenantId]);
    scoped = {
      admin: await addMember(keyring, owner, orgId, 'scoped-admin@agency.example', 'admin', [b.tenantId]),
      auditor: await addMember(keyring, owner, orgId, 'scoped-auditor@agency.example', 'auditor', [b.tenantId]),
    };
  });
  afterAll(() => keyring.close());

  const get = (session: Session, path: string) => session.request('GET', `/api/v1/orgs/${orgId}${path}`);
  const nothingOfA = (text: string) => [a.tenantId, a.widgetId, ...SECRETS_OF_A].filter((secret) => text.includes(secret));

  it('the owner, limited to no tenant, does see tenant A (the control)', async () => {
    const events = await get(owner, '/audit-events?limit=100');
    expect(nothingOfA(events.text)).toEqual([a.tenantId, a.widgetId, ...SECRETS_OF_A]);
    expect((await get(owner, '/members')).text).toContain(a.tenantId);
  });

  describe.each(['admin', 'auditor'] as const)('limited %s', (role) => {
    it("reads the audit log without A's events, and with B's and their own", async () => {
      const events = await get(scoped[role], '/audit-events?limit=100');
      expect(events.status).toBe(200);
      expect(nothingOfA(events.text)).toEqual([]);
      const seen = events.body.items.map((event: { action: string; tenantId: string | null }) => `${event.action} ${event.tenantId ?? '-'}`);
      expect(seen).toEqual(expect.arrayContaining([`widget.created ${b.tenantId}`, `tenant.created ${b.tenantId}`, 'member.joined -', 'auth.login_succeeded -']));
      // The organization-level events of others (the owner's sign-in, setup, other members joining) are not theirs.
      expect(events.body.items.filter((event: { tenantId: string | null; actor: { id: string }; target: { id: string } | null }) =>
        event.tenantId === null && event.actor.id !== scoped[role].userId && event.target?.id !== scoped[role].userId)).toEqual([]);
    });

    it('gets nothing when it asks for tenant A, its widget or its key by filter', async () => {
      for (const filter of [`tenantId=${a.tenantId}`, `targetId=${a.widgetId}`, 'action=api_key.created', 'action=user_hash.tested', `actorId=${owner.userId}&targetType=widget&targetId=${a.widgetId}`]) {
        const response = await get(scoped[role], `/audit-events?${filter}`);
        expect({ filter, status: response.status, body: response.body }).toEqual({ filter, status: 200, body: { items: [], nextCursor: null } });
      }
    });

    it("exports CSV and NDJSON without A's events", async () => {
      for (const format of ['csv', 'ndjson']) {
        const all = await get(scoped[role], `/audit-events/export?format=${format}`);
        expect(all.status).toBe(200);
        expect(nothingOfA(all.text)).toEqual([]);
        expect(all.text).toContain(b.widgetId);
        const aimed = await get(scoped[role], `/audit-events/export?format=${format}&tenantId=${a.tenantId}`);
        // The CSV header alone; no NDJSON line at all.
        expect(aimed.text.trim()).toBe(format === 'csv' ? all.text.split('\r\n')[0] : '');
      }
    });

    it('verifies the whole chain but counts only the events it may see', async () => {
      const verify = await get(scoped[role], '/audit-events/verify');
      const visible = await get(scoped[role], '/audit-events?limit=100');
      const all = await get(owner, '/audit-events/verify');
      expect(verify.body).toMatchObject({ valid: true, checkedEvents: visible.body.items.length });
      expect(all.body.checkedEvents).toBeGreaterThan(verify.body.checkedEvents);
    });

    it("cannot take a checkpoint, whose seq would count every tenant's events", async () => {
      const refused = await get(scoped[role], '/audit-events/checkpoint');
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ type: expect.stringContaining('audit-checkpoint-needs-whole-organization'), detail: expect.stringContaining('limited to some tenants') });
      expect((await get(owner, '/audit-events/checkpoint')).status).toBe(200);
    });

    it("is told how a full verification of the chain ended, but not how many events it checked", async () => {
      expect((await owner.request('POST', `/api/v1/orgs/${orgId}/audit-events/verify/full`)).status).toBe(202);
      let full = (await get(owner, '/audit-events/verify')).body.fullVerification;
      for (let i = 0; !full.finishedAt && i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        full = (await get(owner, '/audit-events/verify')).body.fullVerification;
      }
      expect(full).toMatchObject({ valid: true, checkedEvents: expect.any(Number) });
      const seen = (await get(scoped[role], '/audit-events/verify')).body;
      expect(seen.fullVerification).toEqual({ ...full, checkedEvents: null });
      expect(seen).not.toHaveProperty('pendingEvents');
    });

    it("counts neither A's traffic in usage nor A's tenant, widget and key in the overview", async () => {
      const ofA = await get(scoped[role], `/usage?widgetId=${a.widgetId}`);
      expect(ofA.status).toBe(200);
      expect(ofA.body.items).toEqual([]);
      const all = await get(scoped[role], '/usage');
      expect(all.body.items).toEqual([]);
      expect((await get(owner, '/usage')).body.items).toEqual([expect.objectContaining({ issued: 1 })]);
      const overview = await get(scoped[role], '/overview');
      expect(overview.body).toMatchObject({ tenants: 1, widgets: 1, activeApiKeys: 0 });
    });

    it('gets a 404 for A itself, its widget and its versions, and lists without them', async () => {
      for (const path of [`/tenants/${a.tenantId}`, `/widgets/${a.widgetId}`, `/widgets/${a.widgetId}/secret-versions`]) {
        const response = await get(scoped[role], path);
        expect({ path, status: response.status, type: response.body.type }).toEqual({ path, status: 404, type: expect.stringMatching(/-not-found$/) });
      }
      for (const path of ['/tenants?includeArchived=true', `/widgets?tenantId=${a.tenantId}`, '/widgets/needs-attention', '/api-keys', '/members']) {
        expect({ path, leaked: nothingOfA((await get(scoped[role], path)).text) }).toEqual({ path, leaked: [] });
      }
    });
  });
});
