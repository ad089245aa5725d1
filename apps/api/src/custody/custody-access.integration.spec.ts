import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, signIn, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

/** Each custody route, a valid body, and the roles that must be refused (403). */
interface Route {
  method: string;
  path: string;
  body?: object;
  refused: ('admin' | 'operator' | 'auditor')[];
  /** Lists answer a scoped member with a filtered 200 rather than a 404. */
  list?: boolean;
}

describe('custody and API key access rules (real app)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let sessions: Record<'admin' | 'operator' | 'auditor', Session>;
  let outsider: Session;
  let scoped: Session;
  let tenantId: string;
  let widgetId: string;
  let apiKeyId: string;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    sessions = {
      admin: await addMember(keyring, owner, orgId, 'admin@agency.example', 'admin'),
      operator: await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator'),
      auditor: await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor'),
    };
    ({ tenantId, widgetId } = await createWidget(owner, orgId, { tenantName: 'Visible', secret: 'access-secret-0001' }));
    await owner.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/secret-versions`, { body: { secret: 'access-secret-0002' } });
    apiKeyId = (await owner.request('POST', `/api/v1/orgs/${orgId}/api-keys`, { body: { name: 'Backend', tenantId, scopes: ['user-hash:issue'] } })).body.apiKey.id;
    const other = await createWidget(owner, orgId, { tenantName: 'Elsewhere' });
    scoped = await addMember(keyring, owner, orgId, 'scoped@agency.example', 'admin', [other.tenantId]);

    // Someone with every right, in another organization.
    const outsiderOwner = await addMember(keyring, owner, orgId, 'outsider@other.example', 'auditor');
    await outsiderOwner.request('POST', '/api/v1/orgs', { body: { name: 'Other Agency' } });
    await owner.request('DELETE', `/api/v1/orgs/${orgId}/members/${outsiderOwner.userId}`);
    outsider = await signIn(keyring, 'outsider@other.example', 'auditor-password-harbor-7');
  });
  afterAll(() => keyring.close());

  const routes = (): Route[] => [
    { method: 'POST', path: `/tenants`, body: { name: `T ${Math.random()}` }, refused: ['auditor'] },
    { method: 'GET', path: `/tenants`, refused: [], list: true },
    { method: 'GET', path: `/tenants/${tenantId}`, refused: [] },
    { method: 'PATCH', path: `/tenants/${tenantId}`, body: { name: 'Visible' }, refused: ['auditor'] },
    { method: 'POST', path: `/widgets`, body: { tenantId, name: 'W' }, refused: ['auditor'] },
    { method: 'GET', path: `/widgets`, refused: [], list: true },
    { method: 'GET', path: `/widgets/needs-attention`, refused: [], list: true },
    { method: 'GET', path: `/widgets/${widgetId}`, refused: [] },
    { method: 'PATCH', path: `/widgets/${widgetId}`, body: { name: 'Renamed' }, refused: ['auditor'] },
    { method: 'GET', path: `/widgets/${widgetId}/secret-versions`, refused: [] },
    { method: 'POST', path: `/widgets/${widgetId}/secret-versions`, body: { secret: 'access-secret-0003' }, refused: ['auditor'] },
    { method: 'POST', path: `/widgets/${widgetId}/secret-versions/1/activate`, refused: ['auditor'] },
    { method: 'DELETE', path: `/widgets/${widgetId}/secret-versions/1`, refused: ['operator', 'auditor'] },
    { method: 'POST', path: `/widgets/${widgetId}/secret-versions/1/reveal`, body: { password: 'x' }, refused: ['operator', 'auditor'] },
    { method: 'POST', path: `/widgets/${widgetId}/test-user-hash`, body: { userIdentifier: 'u' }, refused: ['auditor'] },
    { method: 'GET', path: `/settings`, refused: [] },
    { method: 'PATCH', path: `/settings`, body: { rotationMaxAgeDays: 90 }, refused: ['admin', 'operator', 'auditor'] },
    { method: 'POST', path: `/api-keys`, body: { name: 'K', tenantId, scopes: ['user-hash:issue'] }, refused: ['auditor'] },
    { method: 'GET', path: `/api-keys`, refused: [], list: true },
    { method: 'DELETE', path: `/api-keys/${apiKeyId}`, refused: ['auditor'] },
    { method: 'POST', path: `/widgets/${widgetId}/archive`, refused: ['auditor'] },
    { method: 'POST', path: `/tenants/${tenantId}/archive`, refused: ['auditor'] },
  ];

  it("answers 404 to a member of another organization on every route", async () => {
    for (const route of routes()) {
      const response = await outsider.request(route.method, `/api/v1/orgs/${orgId}${route.path}`, { body: route.body });
      expect({ route: `${route.method} ${route.path}`, status: response.status, type: response.body.type }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 404,
        type: 'urn:keyring:problem:organization-not-found',
      });
    }
  });

  it('answers 403 to a role without the permission, naming it', async () => {
    for (const route of routes()) {
      for (const role of route.refused) {
        const response = await sessions[role].request(route.method, `/api/v1/orgs/${orgId}${route.path}`, { body: route.body });
        expect({ route: `${role} ${route.method} ${route.path}`, status: response.status, detail: response.body.detail }).toEqual({
          route: `${role} ${route.method} ${route.path}`,
          status: 403,
          detail: expect.stringMatching(new RegExp(`^Your role \\(${role}\\) does not allow this`)),
        });
      }
    }
  });

  it("answers 404 to a member limited to other tenants, and leaves those tenants out of lists", async () => {
    for (const route of routes()) {
      if (route.path === '/settings' || route.path === '/tenants' && route.method === 'POST') continue;
      const response = await scoped.request(route.method, `/api/v1/orgs/${orgId}${route.path}`, { body: route.body });
      const label = `${route.method} ${route.path}`;
      if (route.list) {
        expect({ label, status: response.status }).toEqual({ label, status: 200 });
        expect(JSON.stringify(response.body)).not.toContain(tenantId);
      } else {
        expect({ label, status: response.status }).toEqual({ label, status: 404 });
      }
    }
    const create = await scoped.request('POST', `/api/v1/orgs/${orgId}/tenants`, { body: { name: 'Mine' } });
    expect(create.status).toBe(403);
    expect(create.body.detail).toBe('You are limited to some tenants, so you cannot create new ones.');
  });
});
