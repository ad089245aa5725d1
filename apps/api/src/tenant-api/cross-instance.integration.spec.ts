import { ChangeFeed } from '../changes/change-feed';
import { createWidget } from '../../test/custody-fixtures';
import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { timeUntil } from '../../test/time-until';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { UserHashService } from './user-hash.service';

describe('two instances on one database (real apps, real PostgreSQL)', () => {
  let a: TestApp;
  let b: TestApp;
  let owner: Session;
  let orgId: string;
  let tenantId: string;
  let widgetId: string;
  let key: string;
  let keyId: string;
  const issueOnB = (apiKey = key) =>
    b.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'visitor' }, headers: { authorization: `Bearer ${apiKey}` } });

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({}, a.db);
    ({ organizationId: orgId, owner } = await completeSetup(a));
    ({ tenantId, widgetId } = await createWidget(owner, orgId, { secret: 'instance-secret-v1' }));
    const created = await owner.request('POST', `/api/v1/orgs/${orgId}/api-keys`, { body: { name: 'Backend', tenantId, scopes: ['user-hash:issue'] } });
    ({ key } = created.body);
    keyId = created.body.apiKey.id;
  });
  afterAll(async () => {
    await b.app.close();
    await a.close();
  });

  it('serves from memory once warm', async () => {
    const cache = b.app.get(UserHashService).cache;
    await issueOnB();
    const before = cache.hits;
    expect((await issueOnB()).body.keyVersion).toBe(1);
    expect(cache.hits).toBe(before + 1);
  });

  it('answers with the new secret within 1 s of a rotation through the other instance', async () => {
    await issueOnB();
    const rotated = await owner.request('POST', `/api/v1/orgs/${orgId}/widgets/${widgetId}/secret-versions`, { body: { secret: 'instance-secret-v2' } });
    expect(rotated.status).toBe(201);
    const elapsed = await timeUntil(issueOnB, (response) => response.body.keyVersion === 2);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('refuses a key within 1 s of its revocation through the other instance', async () => {
    expect((await issueOnB()).status).toBe(200);
    await owner.request('DELETE', `/api/v1/orgs/${orgId}/api-keys/${keyId}`);
    const elapsed = await timeUntil(issueOnB, (response) => response.status === 401);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('forgets everything it cached when its listener reconnects, since it may have missed changes', async () => {
    const second = await owner.request('POST', `/api/v1/orgs/${orgId}/api-keys`, { body: { name: 'Second', tenantId, scopes: ['user-hash:issue'] } });
    expect((await issueOnB(second.body.key)).status).toBe(200);
    const feed = b.app.get(ChangeFeed);
    const reconnects = feed.reconnects;
    // Cut the listeners' connections, then change the key behind Keyring's back: no notification will tell.
    await a.db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'keyring-listener'");
    await a.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [second.body.apiKey.id]);
    await timeUntil(async () => feed.reconnects > reconnects && feed.live, Boolean);
    const response = await issueOnB(second.body.key);
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:keyring:problem:api-key-revoked');
    expect(b.app.get(ApiKeyAuthenticator).cache.misses).toBeGreaterThan(0);
  });
});
