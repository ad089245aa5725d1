import Ajv2020 from 'ajv/dist/2020';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, OWNER } from '../../test/identity-fixtures';
import { routesOf } from '../../test/route-list';
import { startTestApp, type HttpResult, type TestApp } from '../../test/test-app';
import { SUCCESS_BODIES } from './responses';

const GENERATOR = join(__dirname, '../../../../tools/openapi/contract-schemas.cjs');

describe('OpenAPI success bodies (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let document: any;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const checked = new Set<string>();

  beforeAll(async () => {
    keyring = await startTestApp();
    document = (await keyring.request('GET', '/api/docs/openapi.json')).body;
    ajv.addSchema({ $id: 'https://keyring.test/openapi', components: document.components });
  });
  afterAll(() => keyring.close());

  /** Checks a real answer against what the document says that route answers with that status. */
  function matchesDocument(route: string, response: HttpResult) {
    const [method, pattern] = route.split(' ');
    const operation = document.paths[pattern.replace(/:(\w+)/g, '{$1}')][method.toLowerCase()];
    const documented = operation.responses[String(response.status)];
    expect({ route, status: response.status, documented: Boolean(documented) }).toEqual({ route, status: response.status, documented: true });
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) return;
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"https://keyring.test/openapi#/components/')));
    const valid = validate(response.body);
    expect({ route, errors: valid ? null : validate.errors }).toEqual({ route, errors: null });
    checked.add(route);
  }

  it('the committed schemas of libs/contracts are up to date (npm run contracts:schemas)', () => {
    const check = spawnSync(process.execPath, [GENERATOR, '--check'], { encoding: 'utf8' });
    expect({ status: check.status, output: check.stdout.trim() }).toEqual({ status: 0, output: 'contract-schemas.json is up to date' });
  }, 60_000);

  it('has a success body (or none, for 204) for every Nest route, and nothing else', () => {
    const routes = routesOf(keyring.app).filter((route) => !route.startsWith('ALL ') && !route.includes('/api/docs') && !route.includes('/user-hash'));
    expect({ missing: routes.filter((route) => !(route in SUCCESS_BODIES)), extra: Object.keys(SUCCESS_BODIES).filter((route) => !routes.includes(route)) }).toEqual({
      missing: [],
      extra: [],
    });
  });

  it('real answers of the console routes match their documented schemas', async () => {
    const call = async (route: string, path: string, body?: unknown, session = owner) => {
      const response = await session.request(route.split(' ')[0], path, body === undefined ? {} : { body });
      matchesDocument(route, response);
      return response;
    };
    matchesDocument('GET /api/v1/setup', await keyring.request('GET', '/api/v1/setup'));
    const { organizationId, owner } = await completeSetup(keyring);
    matchesDocument('POST /api/v1/auth/login', await keyring.request('POST', '/api/v1/auth/login', { body: OWNER }));
    const o = `/api/v1/orgs/${organizationId}`;
    await call('GET /api/v1/auth/me', '/api/v1/auth/me');
    await call('GET /api/v1/orgs', '/api/v1/orgs');
    await call('POST /api/v1/orgs', '/api/v1/orgs', { name: 'Second agency' });
    await call('POST /api/v1/auth/totp/enrol', '/api/v1/auth/totp/enrol');
    const tenant = await call('POST /api/v1/orgs/:orgId/tenants', `${o}/tenants`, { name: 'Client' });
    await call('GET /api/v1/orgs/:orgId/tenants', `${o}/tenants`);
    await call('GET /api/v1/orgs/:orgId/tenants/:tenantId', `${o}/tenants/${tenant.body.id}`);
    await call('PATCH /api/v1/orgs/:orgId/tenants/:tenantId', `${o}/tenants/${tenant.body.id}`, { name: 'Client renamed' });
    const widget = await call('POST /api/v1/orgs/:orgId/widgets', `${o}/widgets`, { tenantId: tenant.body.id, name: 'Site', secret: 'documented-secret-0001' });
    const w = `${o}/widgets/${widget.body.id}`;
    await call('GET /api/v1/orgs/:orgId/widgets', `${o}/widgets`);
    await call('GET /api/v1/orgs/:orgId/widgets/:widgetId', w);
    await call('PATCH /api/v1/orgs/:orgId/widgets/:widgetId', w, { huggyCompanyId: '42' });
    await call('POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions', `${w}/secret-versions`, { secret: 'documented-secret-0002' });
    await call('GET /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions', `${w}/secret-versions`);
    await call('POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions/:version/reveal', `${w}/secret-versions/2/reveal`, { password: OWNER.password });
    await call('POST /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions/:version/activate', `${w}/secret-versions/1/activate`);
    await call('DELETE /api/v1/orgs/:orgId/widgets/:widgetId/secret-versions/:version', `${w}/secret-versions/2`);
    await call('POST /api/v1/orgs/:orgId/widgets/:widgetId/test-user-hash', `${w}/test-user-hash`, { userIdentifier: 'visitor' });
    await createWidget(owner, organizationId, { tenantId: tenant.body.id, widgetName: 'No secret' });
    await call('GET /api/v1/orgs/:orgId/widgets/needs-attention', `${o}/widgets/needs-attention`);
    const key = await call('POST /api/v1/orgs/:orgId/api-keys', `${o}/api-keys`, { name: 'k', tenantId: tenant.body.id, scopes: ['user-hash:issue'], expiresAt: '2030-01-01T00:00:00Z' });
    await call('GET /api/v1/orgs/:orgId/api-keys', `${o}/api-keys`);
    await call('DELETE /api/v1/orgs/:orgId/api-keys/:keyId', `${o}/api-keys/${key.body.apiKey.id}`);
    await call('GET /api/v1/orgs/:orgId/members', `${o}/members`);
    const invited = await call('POST /api/v1/orgs/:orgId/members/invitations', `${o}/members/invitations`, { email: 'new@agency.example', role: 'auditor' });
    matchesDocument('POST /api/v1/invitations/accept', await keyring.request('POST', '/api/v1/invitations/accept', { body: { token: invited.body.token, password: 'documented-password-77' } }));
    const member = await addMember(keyring, owner, organizationId, 'second@agency.example', 'operator');
    await call('PATCH /api/v1/orgs/:orgId/members/:userId', `${o}/members/${member.userId}`, { role: 'auditor' });
    await call('GET /api/v1/orgs/:orgId/settings', `${o}/settings`);
    await call('PATCH /api/v1/orgs/:orgId/settings', `${o}/settings`, { rotationMaxAgeDays: 60 });
    await call('GET /api/v1/orgs/:orgId/overview', `${o}/overview`);
    await call('GET /api/v1/orgs/:orgId/usage', `${o}/usage`);
    await call('GET /api/v1/orgs/:orgId/audit-events', `${o}/audit-events`);
    await call('GET /api/v1/orgs/:orgId/audit-events/verify', `${o}/audit-events/verify`);
    const { checkpoint } = (await call('GET /api/v1/orgs/:orgId/audit-events/checkpoint', `${o}/audit-events/checkpoint`)).body;
    await call('POST /api/v1/orgs/:orgId/audit-events/verify', `${o}/audit-events/verify`, { checkpoints: [checkpoint] });
    await call('POST /api/v1/orgs/:orgId/audit-events/verify/full', `${o}/audit-events/verify/full`);
    matchesDocument('GET /.well-known/keyring-audit-keys.json', await keyring.request('GET', '/.well-known/keyring-audit-keys.json'));
    await call('POST /api/v1/orgs/:orgId/tenants/:tenantId/archive', `${o}/tenants/${tenant.body.id}/archive`);
    expect(checked.size).toBeGreaterThanOrEqual(39);
  });
});
