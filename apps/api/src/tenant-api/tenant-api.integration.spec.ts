import { signUserHash } from '@keyring/signing';
import { createWidget } from '../../test/custody-fixtures';
import { addMember, completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

const SECRET_V1 = 'tenant-api-secret-v1';
const SECRET_V2 = 'tenant-api-secret-v2';

describe('API keys and the user-hash endpoints (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let operator: Session;
  let auditor: Session;
  let tenantId: string;
  let widgetId: string;
  let otherWidgetId: string;
  let key: string;
  const keys = () => `/api/v1/orgs/${orgId}/api-keys`;
  const call = (path: string, body: unknown, apiKey = key) =>
    keyring.request('POST', `/api/v1/widgets/${path}`, { body, headers: { authorization: `Bearer ${apiKey}` } });

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    operator = await addMember(keyring, owner, orgId, 'operator@agency.example', 'operator');
    auditor = await addMember(keyring, owner, orgId, 'auditor@agency.example', 'auditor');
    ({ tenantId, widgetId } = await createWidget(operator, orgId, { tenantName: 'Client', secret: SECRET_V1 }));
    ({ widgetId: otherWidgetId } = await createWidget(operator, orgId, { tenantName: 'Other client', secret: 'other-tenant-secret' }));
    const created = await operator.request('POST', keys(), {
      body: { name: 'Client backend', tenantId, scopes: ['user-hash:issue', 'user-hash:verify'] },
    });
    key = created.body.key;
  });
  afterAll(() => keyring.close());

  describe('API key management', () => {
    it('shows a new key once, with a recognisable prefix, and stores only its hash', async () => {
      const response = await operator.request('POST', keys(), { body: { name: 'Issue only', tenantId, scopes: ['user-hash:issue'], widgetIds: [widgetId] } });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        apiKey: {
          id: expect.any(String),
          name: 'Issue only',
          prefix: response.body.key.slice(0, 11),
          tenantId,
          tenantName: 'Client',
          scopes: ['user-hash:issue'],
          widgetIds: [widgetId],
          expiresAt: null,
          createdAt: expect.any(String),
          revokedAt: null,
          lastUsedAt: null,
        },
        key: expect.stringMatching(/^kr_[0-9A-Za-z]{49}$/),
      });
      const list = await auditor.request('GET', keys());
      expect(list.text).not.toContain(response.body.key);
      expect(list.body.items.map((k: { name: string }) => k.name)).toEqual(['Issue only', 'Client backend']);
      expect(JSON.stringify(await keyring.db.query('SELECT * FROM api_keys'))).not.toContain(response.body.key);
    });

    it('validates the request and refuses auditors', async () => {
      const bad = await operator.request('POST', keys(), { body: { name: ' ', tenantId: 'x', scopes: ['admin'], expiresAt: 'soon' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([
        { field: 'name', message: 'name must not be blank' },
        { field: 'tenantId', message: 'tenantId must be a tenant id (UUID)' },
        { field: 'scopes', message: 'scopes must be a list of user-hash:issue, user-hash:verify' },
        { field: 'expiresAt', message: 'expiresAt must be an ISO 8601 date-time' },
      ]);
      const refused = await auditor.request('POST', keys(), { body: { name: 'x', tenantId, scopes: ['user-hash:issue'] } });
      expect(refused.status).toBe(403);
    });
  });

  describe('user-hash', () => {
    it('signs byte-identically to libs/signing with the active version', async () => {
      const userIdentifier = 'josé.da.silva@empresa.com.br';
      const response = await call(`${widgetId}/user-hash`, { userIdentifier });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ userIdentifier, userHash: await signUserHash(SECRET_V1, userIdentifier), keyVersion: 1 });
    });

    it('signs a batch of 1 to 1000, and names the first bad identifier', async () => {
      const ids = Array.from({ length: 1000 }, (_, i) => `visitor-${i}`);
      const response = await call(`${widgetId}/user-hash/batch`, { userIdentifiers: ids });
      expect(response.status).toBe(200);
      expect(response.body.items).toHaveLength(1000);
      expect(response.body.items[999]).toEqual({ userIdentifier: 'visitor-999', userHash: await signUserHash(SECRET_V1, 'visitor-999'), keyVersion: 1 });
      const tooMany = await call(`${widgetId}/user-hash/batch`, { userIdentifiers: [...ids, 'one-more'] });
      expect(tooMany.body.errors).toEqual([{ field: 'userIdentifiers', message: 'userIdentifiers must hold at most 1000 identifiers' }]);
      const empty = await call(`${widgetId}/user-hash/batch`, { userIdentifiers: [] });
      expect(empty.body.errors).toEqual([{ field: 'userIdentifiers', message: 'userIdentifiers must hold at least 1 identifier' }]);
      const blank = await call(`${widgetId}/user-hash/batch`, { userIdentifiers: ['ok', '  '] });
      expect(blank.body.errors).toEqual([{ field: 'userIdentifiers', message: 'userIdentifiers[1]: userIdentifier must not be only white space' }]);
    });

    it('never alters an identifier, and refuses what Huggy could not use', async () => {
      const spaced = ' padded identifier ';
      expect((await call(`${widgetId}/user-hash`, { userIdentifier: spaced })).body.userIdentifier).toBe(spaced);
      const control = await call(`${widgetId}/user-hash`, { userIdentifier: 'a\nb' });
      expect(control.status).toBe(400);
      expect(control.body.errors).toEqual([{ field: 'userIdentifier', message: 'userIdentifier must not contain control characters' }]);
    });

    it('verifies against the active and the previous version', async () => {
      const old = await signUserHash(SECRET_V1, 'u-1');
      await operator.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/secret-versions`, { body: { secret: SECRET_V2 } });
      const fresh = await call(`${widgetId}/user-hash`, { userIdentifier: 'u-2' });
      expect(fresh.body).toMatchObject({ userHash: await signUserHash(SECRET_V2, 'u-2'), keyVersion: 2 });
      expect((await call(`${widgetId}/user-hash/verify`, { userHash: old })).body).toEqual({ valid: true, userIdentifier: 'u-1', keyVersion: 1 });
      expect((await call(`${widgetId}/user-hash/verify`, { userHash: fresh.body.userHash })).body).toEqual({ valid: true, userIdentifier: 'u-2', keyVersion: 2 });
      const forged = await signUserHash('not-the-widget-secret', 'u-3');
      expect((await call(`${widgetId}/user-hash/verify`, { userHash: forged })).body).toEqual({ valid: false, reason: 'signature' });
      expect((await call(`${widgetId}/user-hash/verify`, { userHash: 'hello' })).body).toEqual({ valid: false, reason: 'malformed' });
    });
  });

  describe('requests the user-hash routes refuse before signing', () => {
    const send = (rawBody: Buffer | string, headers: Record<string, string>) =>
      fetch(`${keyring.baseUrl}/api/v1/widgets/${widgetId}/user-hash`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, ...headers },
        body: rawBody,
      }).then(async (response) => ({ status: response.status, headers: response.headers, body: await response.json() }));

    it('415 for a body that is not JSON in UTF-8, 400 for bytes that are not UTF-8, never repaired', async () => {
      const form = await send('userIdentifier=u', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(form.status).toBe(415);
      expect(form.body.detail).toBe('Send the body as JSON, with "Content-Type: application/json".');
      const latin1 = await send('{"userIdentifier":"u"}', { 'content-type': 'application/json; charset=latin1' });
      expect(latin1.status).toBe(415);
      const notUtf8 = await send(Buffer.from([...Buffer.from('{"userIdentifier":"jos'), 0xe9, ...Buffer.from('"}')]), { 'content-type': 'application/json' });
      expect(notUtf8.status).toBe(400);
      expect(notUtf8.body.detail).toBe('The request body is not valid JSON.');
      const explicitUtf8 = await send('{"userIdentifier":"josé"}', { 'content-type': 'application/json; charset=UTF-8' });
      expect(explicitUtf8.body.userIdentifier).toBe('josé');
    });

    it('names unknown fields and a body that is not an object', async () => {
      const extra = await call(`${widgetId}/user-hash`, { userIdentifier: 'u', admin: true });
      expect(extra.status).toBe(400);
      expect(extra.body).toMatchObject({ type: 'urn:keyring:problem:validation', errors: [{ field: 'admin', message: 'property admin should not exist' }] });
      const list = await call(`${widgetId}/user-hash`, ['u']);
      expect(list.body.detail).toBe('The request body must be a JSON object.');
      const tooBig = await call(`${widgetId}/user-hash/verify`, { userHash: 'x'.repeat(300 * 1024) });
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.detail).toBe('The request body is larger than 256kb.');
    });

    it('answers with one request id in the header, the problem and the log line', async () => {
      const response = await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, {
        body: { userIdentifier: 'u' },
        headers: { authorization: 'Bearer nope' },
      });
      expect(response.status).toBe(401);
      const requestId = response.headers.get('x-request-id');
      expect(response.body).toMatchObject({ requestId, instance: `/api/v1/widgets/${widgetId}/user-hash` });
      const line = keyring.logs.map((text) => JSON.parse(text)).find((entry) => entry.req?.id === requestId);
      expect(line).toMatchObject({ level: 40, res: { statusCode: 401 }, req: { method: 'POST', url: `/api/v1/widgets/${widgetId}/user-hash` } });
    });

    it('leaves other methods on these paths to the rest of the API (404)', async () => {
      const response = await keyring.request('GET', `/api/v1/widgets/${widgetId}/user-hash`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('refusals', () => {
    it('401 for a missing, malformed, unknown, revoked or expired key', async () => {
      const missing = await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'u' } });
      expect(missing.status).toBe(401);
      expect(missing.body.detail).toBe('Send a Keyring API key as "Authorization: Bearer kr_…"; the one sent is missing or malformed.');
      const lookalike = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
      expect((await call(`${widgetId}/user-hash`, { userIdentifier: 'u' }, lookalike)).status).toBe(401);

      const temporary = await operator.request('POST', keys(), { body: { name: 'Temp', tenantId, scopes: ['user-hash:issue'] } });
      await operator.request('DELETE', `${keys()}/${temporary.body.apiKey.id}`);
      const revoked = await call(`${widgetId}/user-hash`, { userIdentifier: 'u' }, temporary.body.key);
      expect(revoked.status).toBe(401);
      expect(revoked.body).toMatchObject({ type: 'urn:keyring:problem:api-key-revoked', detail: 'This API key was revoked; ask the agency for a new one.' });

      const expiring = await operator.request('POST', keys(), { body: { name: 'Old', tenantId, scopes: ['user-hash:issue'], expiresAt: '2030-01-01T00:00:00Z' } });
      await keyring.db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [expiring.body.apiKey.id]);
      const expired = await call(`${widgetId}/user-hash`, { userIdentifier: 'u' }, expiring.body.key);
      expect(expired.status).toBe(401);
      expect(expired.body.type).toBe('urn:keyring:problem:api-key-expired');
    });

    it('403 for a key without the scope', async () => {
      const issueOnly = await operator.request('POST', keys(), { body: { name: 'No verify', tenantId, scopes: ['user-hash:issue'] } });
      const response = await call(`${widgetId}/user-hash/verify`, { userHash: 'x' }, issueOnly.body.key);
      expect(response.status).toBe(403);
      expect(response.body.detail).toBe('This API key does not have the user-hash:verify scope.');
    });

    it("404 for another tenant's widget, a widget outside the allow-list, and a malformed id", async () => {
      const other = await call(`${otherWidgetId}/user-hash`, { userIdentifier: 'u' });
      expect(other.status).toBe(404);
      expect(other.body.detail).toBe('No such widget for this API key.');
      const { widgetId: second } = await createWidget(operator, orgId, { tenantId, widgetName: 'Second', secret: 'second-widget-secret' });
      const limited = await operator.request('POST', keys(), { body: { name: 'Limited', tenantId, scopes: ['user-hash:issue'], widgetIds: [widgetId] } });
      expect((await call(`${second}/user-hash`, { userIdentifier: 'u' }, limited.body.key)).status).toBe(404);
      expect((await call(`not-a-uuid/user-hash`, { userIdentifier: 'u' })).status).toBe(404);
    });

    it('409 for a widget without a secret, with a message saying so', async () => {
      const { widgetId: bare } = await createWidget(operator, orgId, { tenantId, widgetName: 'Bare' });
      const response = await call(`${bare}/user-hash`, { userIdentifier: 'u' });
      expect(response.status).toBe(409);
      expect(response.body.detail).toBe('This widget has no secret yet; ask the agency to add it in Keyring.');
    });

    it('audits key creation and revocation, and no key reaches a log line or an audit row', async () => {
      const events = await auditor.request('GET', `/api/v1/orgs/${orgId}/audit-events?limit=200`);
      const actions = events.body.items.map((event: { action: string }) => event.action);
      expect(actions).toEqual(expect.arrayContaining(['api_key.created', 'api_key.revoked']));
      const audit = JSON.stringify(await keyring.db.query('SELECT * FROM audit_events'));
      const logs = keyring.logs.join('\n');
      expect({ inLogs: logs.includes(key), inAudit: audit.includes(key) }).toEqual({ inLogs: false, inAudit: false });
    });
  });
});
