import fc from 'fast-check';
import { IMPORT_BODY_LIMIT_BYTES } from '../../src/custody/imports/import-input';
import { consoleDir } from '../console-fixture';
import { createWidget } from '../custody-fixtures';
import { completeSetup } from '../identity-fixtures';
import { rawExchange } from '../raw-http';
import { routesOf } from '../route-list';
import { startTestApp, type TestApp } from '../test-app';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);

/**
 * Generated requests against every route, with the console served as `npm start` does: bodies of any JSON shape
 * (and some that are not JSON, nest too deep, or hold NUL and lone surrogates), odd headers, path parameters (upper-
 * case UUIDs too), and declared lengths over the limit. Whatever comes in, the answer is never a 5xx, and every 4xx
 * is a problem document.
 */
describe('fuzz: generated requests on every route (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let routes: string[];
  const real: Record<string, string> = {};
  let auth: Record<string, string>;
  let apiKey: string;

  beforeAll(async () => {
    keyring = await startTestApp({ KEYRING_CONSOLE_DIR: await consoleDir() });
    const { organizationId, owner } = await completeSetup(keyring);
    const { tenantId, widgetId } = await createWidget(owner, organizationId, { secret: 'fuzzed-widget-secret-01' });
    const created = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'fuzz', tenantId, scopes: ['user-hash:issue', 'user-hash:verify'] } });
    apiKey = created.body.key;
    const invited = await owner.request('POST', `/api/v1/orgs/${organizationId}/members/invitations`, { body: { email: 'fuzz@example.com', role: 'auditor' } });
    // Port 9 (discard) refuses: the stream exists and fails quietly in the background.
    const stream = await owner.request('POST', `/api/v1/orgs/${organizationId}/audit-streams`, { body: { kind: 'syslog', url: 'tcp://127.0.0.1:9' } });
    // A webhook to a closed local port (its deliveries fail and are retried: fine here), with one delivery.
    const webhook = await owner.request('POST', `/api/v1/orgs/${organizationId}/webhooks`, { body: { url: 'http://127.0.0.1:9/fuzz', events: ['secret.rotated'] } });
    const delivery = await owner.request('POST', `/api/v1/orgs/${organizationId}/webhooks/${webhook.body.webhook.id}/test`);
    Object.assign(real, {
      ...{ orgId: organizationId, tenantId, widgetId, version: '1', userId: owner.userId, keyId: created.body.apiKey.id },
      ...{ invitationId: invited.body.invitation.id, streamId: stream.body.id, webhookId: webhook.body.webhook.id, deliveryId: delivery.body.id },
    });
    auth = { cookie: owner.cookie, 'x-csrf-token': owner.csrfToken };
    // Signing out would end the fuzzing session; everything else is fair game.
    routes = routesOf(keyring.app).filter((route) => route !== 'POST /api/v1/auth/logout');
  });
  afterAll(() => keyring.close());

  const parameter = fc.oneof(
    fc.constantFrom('real', 'real', 'real', 'REAL'),
    fc.uuid(),
    fc.uuid().map((uuid) => uuid.toUpperCase()),
    fc.string({ maxLength: 40 }),
    fc.integer().map(String),
    fc.constantFrom('..', '%00', '%2F', 'null', '-1', '99999999999999999999', 'ä🙂', ' '),
  );
  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(fc.constantFrom('name', 'tenantId', 'secret', 'password', 'email', 'userIdentifier', 'userIdentifiers', 'userHash', 'role', 'tenantIds', 'scopes', 'expiresAt', 'code', 'tokenPolicy', 'rotationMaxAgeDays', 'expectedActiveVersion', 'widgetIds', 'setupToken', 'organizationName', 'token', 'reason', 'kind', 'url'), fc.jsonValue({ maxDepth: 2 })),
  );
  const field = fc.constantFrom('name', 'password', 'userIdentifier', 'secret', 'email', 'token', 'reason', 'userHash');
  // Strings PostgreSQL cannot store, as JSON escapes: NUL, lone surrogates of either half.
  const unstorable = fc
    .tuple(field, fc.constantFrom('\\u0000', '\\ud800', '\\udfff', 'a\\uDBFF', '\\udc00\\ud800'))
    .map(([name, text]) => `{"${name}":"x${text}"}`);
  const deep = fc
    .tuple(fc.integer({ min: 30, max: 20_000 }), fc.constantFrom('[', '{"a":', '{"userIdentifiers":['))
    .map(([depth, open]) => `${open.repeat(depth)}1${(open === '[' ? ']' : open === '{"a":' ? '}' : ']}').repeat(depth)}`);
  const raw = fc.oneof(
    body.map((value) => JSON.stringify(value) ?? 'null'),
    fc.string({ maxLength: 200 }),
    fc.constantFrom('{', '{"a":', '\u0000', '[]'.repeat(5000)),
    unstorable,
    deep,
  );
  /** A Content-Length over the limit of every route (the import's is the largest), sent with no body: answered at once. */
  const declaredLength = fc.option(fc.integer({ min: IMPORT_BODY_LIMIT_BYTES + 1, max: 2 ** 40 }), { freq: 20 });
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
      fc.asyncProperty(fc.nat(), fc.array(parameter, { minLength: 4, maxLength: 4 }), raw, headers, fc.boolean(), declaredLength, async (pick, params, payload, extra, signedIn, length) => {
        const route = routes[pick % routes.length];
        const [declared, pattern] = route.split(' ');
        const method = declared === 'ALL' ? 'PUT' : declared;
        let index = 0;
        // The console's fallback route is `{*any}`, without a leading slash.
        const path = (pattern.startsWith('/') ? pattern : `/${pattern}`).replace(/\{\*\w+\}|:(\w+)/g, (_, name?: string) => {
          const value = params[index++ % params.length];
          if (value === 'real' && name) return real[name];
          return value === 'REAL' && name ? real[name].toUpperCase() : encodeURIComponent(value);
        });
        const { authorization, ...rest } = extra;
        const sent: Record<string, string> = { ...(signedIn ? auth : {}), ...rest };
        if (authorization) sent['authorization'] = authorization === 'use-key' ? `Bearer ${apiKey}` : authorization;
        let status: number;
        let type: string | null | undefined;
        let text: string;
        if (length !== null) {
          const head = [`${method} ${path} HTTP/1.1`, 'Host: keyring', `Content-Length: ${length}`, ...Object.entries(sent).map(([name, value]) => `${name}: ${value}`)];
          const answer = await rawExchange(keyring.baseUrl, `${head.join('\r\n')}\r\n\r\n`, { untilAnswered: true, waitMs: 2000 });
          ({ status, body: text } = answer);
          type = answer.headers['content-type'];
          if (status !== 413) throw new Error(`${method} ${path} with Content-Length ${length} → ${status}, not 413 at once`);
        } else {
          const response = await fetch(`${keyring.baseUrl}${path}`, { method, headers: sent, body: ['GET', 'HEAD', 'DELETE'].includes(method) ? undefined : payload });
          ({ status } = response);
          type = response.headers.get('content-type');
          text = await response.text();
        }
        seen.set(status, (seen.get(status) ?? 0) + 1);
        if (status >= 500) throw new Error(`${method} ${path} → ${status} ${text.slice(0, 300)}`);
        if (status >= 400 && !type?.startsWith('application/problem+json')) {
          throw new Error(`${method} ${path} → ${status} not problem+json: ${type} ${text.slice(0, 200)}`);
        }
      }),
      { numRuns: RUNS },
    );
    // The generator reaches past the guards and validation too, not only refusals.
    expect([...seen.keys()].filter((status) => status < 300).length).toBeGreaterThan(0);
  }, 600_000);
});
