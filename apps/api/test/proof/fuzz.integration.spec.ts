import fc from 'fast-check';
import { createWidget } from '../custody-fixtures';
import { completeSetup } from '../identity-fixtures';
import { routesOf } from '../route-list';
import { startTestApp, type TestApp } from '../test-app';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);

/**
 * Generated requests against every route: bodies of any JSON shape (and some that are not JSON), odd headers and
 * path parameters. Whatever comes in, the answer is never a 5xx, and every 4xx is a problem document.
 */
describe('fuzz: generated requests on every route (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let routes: string[];
  const real: Record<string, string> = {};
  let auth: Record<string, string>;
  let apiKey: string;

  beforeAll(async () => {
    keyring = await startTestApp();
    const { organizationId, owner } = await completeSetup(keyring);
    const { tenantId, widgetId } = await createWidget(owner, organizationId, { secret: 'fuzzed-widget-secret-01' });
    const created = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'fuzz', tenantId, scopes: ['user-hash:issue', 'user-hash:verify'] } });
    apiKey = created.body.key;
    Object.assign(real, { orgId: organizationId, tenantId, widgetId, version: '1', userId: owner.userId, keyId: created.body.apiKey.id });
    auth = { cookie: owner.cookie, 'x-csrf-token': owner.csrfToken };
    // Signing out would end the fuzzing session; everything else is fair game.
    routes = routesOf(keyring.app).filter((route) => route !== 'POST /api/v1/auth/logout');
  });
  afterAll(() => keyring.close());

  const parameter = fc.oneof(
    fc.constantFrom('real', 'real', 'real'),
    fc.uuid(),
    fc.string({ maxLength: 40 }),
    fc.integer().map(String),
    fc.constantFrom('..', '%00', '%2F', 'null', '-1', '99999999999999999999', 'ä🙂', ' '),
  );
  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(fc.constantFrom('name', 'tenantId', 'secret', 'password', 'email', 'userIdentifier', 'userIdentifiers', 'userHash', 'role', 'tenantIds', 'scopes', 'expiresAt', 'code', 'tokenPolicy', 'rotationMaxAgeDays', 'expectedActiveVersion', 'widgetIds', 'setupToken', 'organizationName', 'token', 'reason'), fc.jsonValue({ maxDepth: 2 })),
  );
  const raw = fc.oneof(body.map((value) => JSON.stringify(value) ?? 'null'), fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"a":', '\u0000', '[]'.repeat(5000)));
  const headers = fc.record(
    {
      'content-type': fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data', ''),
      'x-request-id': fc.string({ maxLength: 200 }).map((id) => id.replace(/[^\x21-\x7e]/g, '')),
      authorization: fc.constantFrom('use-key', 'Bearer kr_', 'Basic x', ''),
      accept: fc.constantFrom('application/json', '*/*', 'text/html'),
    },
    { requiredKeys: [] },
  );

  it(`never answers 5xx, and every 4xx is problem+json (${RUNS} requests)`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(parameter, { minLength: 4, maxLength: 4 }), raw, headers, fc.boolean(), async (pick, params, payload, extra, signedIn) => {
        const route = routes[pick % routes.length];
        const [declared, pattern] = route.split(' ');
        const method = declared === 'ALL' ? 'PUT' : declared;
        let index = 0;
        const path = pattern.replace(/\{\*\w+\}|:(\w+)/g, (_, name?: string) => {
          const value = params[index++ % params.length];
          return value === 'real' && name ? real[name] : encodeURIComponent(value);
        });
        const { authorization, ...rest } = extra;
        const sent: Record<string, string> = { ...(signedIn ? auth : {}), ...rest };
        if (authorization) sent['authorization'] = authorization === 'use-key' ? `Bearer ${apiKey}` : authorization;
        const response = await fetch(`${keyring.baseUrl}${path}`, { method, headers: sent, body: ['GET', 'HEAD', 'DELETE'].includes(method) ? undefined : payload });
        const text = await response.text();
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        if (response.status >= 500) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
        if (response.status >= 400 && !response.headers.get('content-type')?.startsWith('application/problem+json')) {
          throw new Error(`${method} ${path} → ${response.status} not problem+json: ${response.headers.get('content-type')} ${text.slice(0, 200)}`);
        }
      }),
      { numRuns: RUNS },
    );
    // The generator reaches past the guards and validation too, not only refusals.
    expect([...seen.keys()].filter((status) => status < 300).length).toBeGreaterThan(0);
  }, 600_000);
});
