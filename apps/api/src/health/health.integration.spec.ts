import { createWidget } from '../../test/custody-fixtures';
import { completeSetup } from '../../test/identity-fixtures';
import { startTestApp, TEST_MASTER_KEYS, type TestApp } from '../../test/test-app';

describe('health endpoints (real app, real PostgreSQL)', () => {
  let keyring: TestApp;

  beforeAll(async () => {
    keyring = await startTestApp();
  });
  afterAll(() => keyring.close());

  it('/healthz says the process is alive, with a request id', async () => {
    const response = await keyring.request('GET', '/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/readyz is ready when the database answers and every migration is applied', async () => {
    const response = await keyring.request('GET', '/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { database: 'up', migrations: 'applied', masterKeys: 'configured' } });
  });

  it('/readyz answers 503 problem+json while a migration is pending', async () => {
    const [last] = await keyring.db.query<{ id: number; timestamp: string; name: string }>(
      'DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations) RETURNING *',
    );
    try {
      const response = await keyring.request('GET', '/readyz');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        status: 503,
        title: 'Service Unavailable',
        detail: 'Not ready: database up, migrations pending.',
        checks: { database: 'up', migrations: 'pending', masterKeys: 'unknown' },
      });
    } finally {
      await keyring.db.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
        last.id,
        last.timestamp,
        last.name,
      ]);
    }
  });

  it('/readyz answers 503 naming the master keys and counts when stored secrets need a key this instance lacks', async () => {
    const { organizationId, owner } = await completeSetup(keyring);
    await createWidget(owner, organizationId, { secret: 'first-widget-secret' });
    await createWidget(owner, organizationId, { secret: 'second-widget-secret', tenantName: 'Second tenant' });
    expect((await owner.request('POST', '/api/v1/auth/totp/enrol')).status).toBe(200); // a TOTP secret under the key too
    // A webhook's signing secret: without its key the webhook could not sign a delivery.
    const webhook = await owner.request('POST', `/api/v1/orgs/${organizationId}/webhooks`, { body: { url: 'http://127.0.0.1:9/keyring', events: ['secret.rotated'] } });
    expect(webhook.status).toBe(201);
    // The operator removed the old key before re-wrapping: another instance on the same database, new key only.
    const newKey = `new-2026:${Buffer.alloc(32, 9).toString('base64')}`;
    const newKeyOnly = await startTestApp({ KEYRING_MASTER_KEYS: newKey }, keyring.db);
    const bothKeys = await startTestApp({ KEYRING_MASTER_KEYS: `${TEST_MASTER_KEYS},${newKey}`, KEYRING_ACTIVE_MASTER_KEY: 'new-2026' }, keyring.db);
    try {
      const response = await newKeyOnly.request('GET', '/readyz');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        status: 503,
        detail:
          'Not ready: stored secrets are encrypted under master key(s) not configured in KEYRING_MASTER_KEYS: "test" (2 secret versions, 1 two-factor secret, 1 webhook signing secret).',
        checks: { database: 'up', migrations: 'applied', masterKeys: 'missing' },
        missingMasterKeys: [{ keyId: 'test', versions: 2, totpSecrets: 1, webhookSecrets: 1 }],
      });
      // With both keys (the re-wrap's starting point) it is ready again.
      expect((await bothKeys.request('GET', '/readyz')).status).toBe(200);
    } finally {
      await newKeyOnly.close();
      await bothKeys.close();
    }
  });
});
