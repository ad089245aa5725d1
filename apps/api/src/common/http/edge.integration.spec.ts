import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../app/create-app';
import { consoleDir } from '../../../test/console-fixture';
import { createWidget } from '../../../test/custody-fixtures';
import { completeSetup, OWNER, type Session } from '../../../test/identity-fixtures';
import { rawExchange } from '../../../test/raw-http';
import { startTestApp, type TestApp } from '../../../test/test-app';
import { JSON_BODY_LIMIT_BYTES, JSON_MAX_DEPTH } from './json-body';

/** Everything the edge listener answers before a route runs, with the console served (as `npm start` does). */
describe('the edge: security headers, bodies, ids (real app, console served)', () => {
  let keyring: TestApp;
  let owner: Session;
  let organizationId: string;
  let widgetId: string;
  let apiKey: string;

  beforeAll(async () => {
    keyring = await startTestApp({ KEYRING_CONSOLE_DIR: await consoleDir('<!doctype html><script>window.kr=1</script><kr-root></kr-root>') });
    ({ organizationId, owner } = await completeSetup(keyring));
    ({ widgetId } = await createWidget(owner, organizationId, { secret: 'edge-widget-secret-0001' }).then(async (created) => {
      const key = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'edge', tenantId: created.tenantId, scopes: ['user-hash:issue'] } });
      apiKey = key.body.key;
      return created;
    }));
  });
  afterAll(() => keyring.close());

  describe('security headers', () => {
    const sample = () => ({
      console: keyring.request('GET', '/'),
      nest: keyring.request('GET', '/api/v1/auth/me'),
      lean: keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'u' } }),
      health: keyring.request('GET', '/healthz'),
      refusedBody: keyring.request('POST', '/api/v1/auth/login', { rawBody: '{' }),
    });

    it.each([
      ['content-security-policy', expect.stringContaining("frame-ancestors 'none'")],
      ['x-frame-options', 'DENY'],
      ['x-content-type-options', 'nosniff'],
      ['referrer-policy', 'no-referrer'],
      ['cross-origin-opener-policy', 'same-origin'],
      ['cross-origin-resource-policy', 'same-origin'],
    ])('%s on the console, Nest routes, the lean routes, probes and refused bodies', async (header, value) => {
      for (const [source, pending] of Object.entries(sample())) {
        const response = await pending;
        expect({ source, value: response.headers.get(header) }).toEqual({ source, value });
      }
    });

    it('a CSP that allows no inline script but those of the built index.html, by hash', async () => {
      const csp = (await keyring.request('GET', '/')).headers.get('content-security-policy')!;
      const scriptSrc = csp.split(';').find((directive) => directive.startsWith('script-src '));
      // sha256 of "window.kr=1", the inline script of the test console's index.html.
      expect(scriptSrc).toBe("script-src 'self' 'sha256-l8neow/YGgCS68QFHF7cCK7fI7fK3lTfJU7BlNuU3rQ='");
      expect(csp).toContain("script-src-attr 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'self'");
      expect(csp).not.toContain('unsafe-eval');
    });

    it('Cache-Control: no-store on every API answer, not on the console files', async () => {
      const answers = sample();
      for (const source of ['nest', 'lean', 'health', 'refusedBody'] as const) {
        expect({ source, value: (await answers[source]).headers.get('cache-control') }).toEqual({ source, value: 'no-store' });
      }
      expect((await answers.console).headers.get('cache-control')).not.toBe('no-store');
      const login = await keyring.request('POST', '/api/v1/auth/login', { body: OWNER });
      expect(login.headers.get('cache-control')).toBe('no-store');
    });

    it('no HSTS outside production; HSTS for a year in production', async () => {
      expect((await keyring.request('GET', '/healthz')).headers.get('strict-transport-security')).toBeNull();
      const production = await startTestApp({ NODE_ENV: 'production' });
      try {
        for (const path of ['/healthz', '/api/v1/auth/me']) {
          expect((await production.request('GET', path)).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
        }
        const lean = await production.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'u' } });
        expect(lean.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      } finally {
        await production.close();
      }
    });
  });

  describe('bodies', () => {
    const nestAndLean = () => [
      { route: 'nest', path: '/api/v1/auth/login', headers: {} },
      { route: 'lean', path: `/api/v1/widgets/${widgetId}/user-hash`, headers: { authorization: `Bearer ${apiKey}` } },
    ];

    it('body errors on Nest routes stay problem+json 400/413/415 while the console is served', async () => {
      const cases = [
        { rawBody: '{"email": ', status: 400, detail: 'The request body is not valid JSON.' },
        { rawBody: JSON.stringify({ padding: 'x'.repeat(JSON_BODY_LIMIT_BYTES) }), status: 413, detail: 'The request body is larger than 256kb.' },
        { rawBody: '{}', headers: { 'content-type': 'text/plain' }, status: 415, detail: 'Send the body as JSON, with "Content-Type: application/json".' },
        { rawBody: '{}', headers: { 'content-type': 'application/json; charset=latin1' }, status: 415, detail: 'The request body must be JSON in UTF-8, without content encoding.' },
      ];
      for (const { status, detail, ...request } of cases) {
        for (const path of ['/api/v1/auth/login', `/api/v1/orgs/${organizationId}/tenants`]) {
          const response = await owner.request('POST', path, request);
          expect({ path, status: response.status, type: response.headers.get('content-type'), detail: response.body?.detail }).toEqual({
            path,
            status,
            type: 'application/problem+json; charset=utf-8',
            detail,
          });
        }
      }
    });

    it(`refuses JSON nested deeper than ${JSON_MAX_DEPTH} with a 400, at once, on every route`, async () => {
      const deep = `{"userIdentifier":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      for (const { route, path, headers } of nestAndLean()) {
        const startedAt = performance.now();
        const response = await keyring.request('POST', path, { rawBody: deep, headers });
        expect({ route, status: response.status, detail: response.body.detail }).toEqual({ route, status: 400, detail: `The request body nests deeper than ${JSON_MAX_DEPTH} levels.` });
        expect(performance.now() - startedAt).toBeLessThan(150);
      }
    });

    it('refuses NUL and lone surrogates with a 400 before any route sees them', async () => {
      for (const text of ['\\u0000', '\\ud800', 'a\\udfff']) {
        for (const { route, path, headers } of nestAndLean()) {
          const response = await keyring.request('POST', path, { rawBody: `{"userIdentifier":"${text}","email":"${text}","password":"x"}`, headers });
          expect({ route, text, status: response.status, detail: response.body.detail }).toEqual({
            route,
            text,
            status: 400,
            detail: 'The request body holds text that cannot be stored: a NUL character or a lone UTF-16 surrogate.',
          });
        }
      }
      const url = await owner.request('GET', `/api/v1/orgs/${organizationId}/audit-events?action=%00`);
      expect({ status: url.status, detail: url.body.detail }).toEqual({ status: 400, detail: 'The URL holds a NUL character (%00).' });
    });

    it('answers a declared Content-Length over the limit with 413 at once, and closes the connection', async () => {
      for (const { route, path, headers } of nestAndLean()) {
        const head = [`POST ${path} HTTP/1.1`, 'Host: keyring', 'Content-Type: application/json', `Content-Length: ${50 * 1024 * 1024}`]
          .concat(Object.entries(headers).map(([name, value]) => `${name}: ${value}`))
          .join('\r\n');
        const exchange = await rawExchange(keyring.baseUrl, `${head}\r\n\r\n`, { waitMs: 4000 });
        expect({ route, status: exchange.status, connection: exchange.headers['connection'], closed: exchange.closed }).toEqual({ route, status: 413, connection: 'close', closed: true });
        expect(JSON.parse(exchange.body)).toMatchObject({ status: 413, detail: 'The request body is larger than 256kb.' });
        expect(exchange.answeredAfterMs).toBeLessThan(500);
      }
    });

    it('cuts off a streamed body once it passes the limit, even if the client goes on sending', async () => {
      for (const { route, path, headers } of nestAndLean()) {
        const head = [`POST ${path} HTTP/1.1`, 'Host: keyring', 'Content-Type: application/json', 'Transfer-Encoding: chunked']
          .concat(Object.entries(headers).map(([name, value]) => `${name}: ${value}`))
          .join('\r\n');
        const chunk = 'x'.repeat(64 * 1024);
        let sent = 0;
        // An endless chunked body: 64 KB every 5 ms, for as long as the socket is open.
        const exchange = await rawExchange(keyring.baseUrl, `${head}\r\n\r\n`, {
          chunks: () => ((sent += chunk.length), Buffer.from(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)),
          chunkEveryMs: 5,
          waitMs: 5000,
        });
        expect({ route, status: exchange.status, closed: exchange.closed }).toEqual({ route, status: 413, closed: true });
        expect(sent).toBeLessThan(20 * JSON_BODY_LIMIT_BYTES);
      }
    });

    it('the tenant API refuses a caller without a valid key before reading the body', async () => {
      const head = [`POST /api/v1/widgets/${widgetId}/user-hash HTTP/1.1`, 'Host: keyring', 'Content-Type: application/json', 'Transfer-Encoding: chunked', 'Authorization: Bearer kr_nope']
        .join('\r\n');
      // The body never comes: the answer must not wait for it.
      const exchange = await rawExchange(keyring.baseUrl, `${head}\r\n\r\n`, { waitMs: 4000 });
      expect({ status: exchange.status, closed: exchange.closed }).toEqual({ status: 401, closed: true });
      expect(exchange.answeredAfterMs).toBeLessThan(500);
      expect(JSON.parse(exchange.body)).toMatchObject({ status: 401, type: 'urn:keyring:problem:api-key-invalid' });
    });

    it('keeps the connection of a refused call whose small body is declared, for the next request', async () => {
      const body = '{"userIdentifier":"u"}';
      const head = [`POST /api/v1/widgets/${widgetId}/user-hash HTTP/1.1`, 'Host: keyring', 'Content-Type: application/json', `Content-Length: ${body.length}`].join('\r\n');
      const exchange = await rawExchange(keyring.baseUrl, `${head}\r\n\r\n${body}`, { untilAnswered: true });
      expect({ status: exchange.status, connection: exchange.headers['connection'] }).toEqual({ status: 401, connection: 'keep-alive' });
    });

    it('sets the header and request timeouts for slow clients', () => {
      const server = keyring.app.getHttpServer();
      expect({ headersTimeout: server.headersTimeout, requestTimeout: server.requestTimeout }).toEqual({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS });
      expect(HEADERS_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
    });
  });

  describe('ids in paths', () => {
    it('takes an upper-case widget id as the same widget: tenant API, reveal, test token', async () => {
      const upper = widgetId.toUpperCase();
      const issued = await keyring.request('POST', `/api/v1/widgets/${upper}/user-hash`, { body: { userIdentifier: 'u' }, headers: { authorization: `Bearer ${apiKey}` } });
      expect(issued.status).toBe(200);
      const reveal = await owner.request('POST', `/api/v1/orgs/${organizationId.toUpperCase()}/widgets/${upper}/secret-versions/1/reveal`, { body: { password: OWNER.password } });
      expect({ status: reveal.status, secret: reveal.body.secret }).toEqual({ status: 200, secret: 'edge-widget-secret-0001' });
      const test = await owner.request('POST', `/api/v1/orgs/${organizationId}/widgets/${upper}/test-user-hash`, { body: { userIdentifier: 'visitor-1' } });
      expect({ status: test.status, userHash: test.body.userHash }).toEqual({ status: 200, userHash: expect.any(String) });
      // A lone surrogate in the identifier (which the audit event's jsonb would refuse) is the edge's 400.
      const lone = await owner.request('POST', `/api/v1/orgs/${organizationId}/widgets/${upper}/test-user-hash`, { rawBody: '{"userIdentifier":"visitor-\\ud800"}' });
      expect({ status: lone.status, detail: lone.body.detail }).toEqual({ status: 400, detail: expect.stringMatching(/lone UTF-16 surrogate/) });
    });
  });
});
