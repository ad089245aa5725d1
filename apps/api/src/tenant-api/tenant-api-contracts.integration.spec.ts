import { createWidget } from '../../test/custody-fixtures';
import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

/** Requests the tenant API could only fail later, or never serve, are refused up front (real app, real PostgreSQL). */
describe('tenant API contracts', () => {
  let keyring: TestApp;
  let owner: Session;
  let organizationId: string;
  let tenantId: string;
  let widgetId: string;

  beforeAll(async () => {
    keyring = await startTestApp({ KEYRING_RATE_LIMIT_PER_MINUTE: '5' });
    ({ organizationId, owner } = await completeSetup(keyring));
    ({ tenantId, widgetId } = await createWidget(owner, organizationId, { secret: 'contracts-widget-secret' }));
  });
  afterAll(() => keyring.close());

  it('refuses an API key that would be born expired', async () => {
    const past = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, {
      body: { name: 'Late', tenantId, scopes: ['user-hash:issue'], expiresAt: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ field: 'expiresAt', message: 'expiresAt must be in the future' }]);
    const [{ count }] = await keyring.db.query<{ count: number }>('SELECT count(*)::int AS count FROM api_keys');
    expect(count).toBe(0);
  });

  it('refuses a batch larger than the key may ask for in a minute, naming the largest allowed', async () => {
    const created = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'B', tenantId, scopes: ['user-hash:issue'] } });
    const headers = { authorization: `Bearer ${created.body.key}` };
    const batch = (size: number) =>
      keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash/batch`, { body: { userIdentifiers: Array.from({ length: size }, (_, i) => `u${i}`) }, headers });
    const tooLarge = await batch(6);
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.headers.get('retry-after')).toBeNull();
    expect(tooLarge.body).toMatchObject({
      type: 'urn:keyring:problem:validation',
      errors: [{ field: 'userIdentifiers', message: "userIdentifiers must hold at most 5 identifiers: the largest batch this API key's limit of 5 userHashes a minute allows" }],
    });
    expect((await batch(5)).status).toBe(200);
  });
});
