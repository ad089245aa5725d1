import { createWidget } from '../../test/custody-fixtures';
import { completeSetup, type Session } from '../../test/identity-fixtures';
import { statementsDuring } from '../../test/sql-statements';
import { startTestApp, type TestApp } from '../../test/test-app';
import { UsageRecorder } from './usage-recorder';
import { UsageRollup } from './usage-rollup';

describe('usage counting and rate limits (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let owner: Session;
  let orgId: string;
  let widgetId: string;
  let keyId: string;
  let key: string;
  const issue = (userIdentifier: string) =>
    keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier }, headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    // Flushes by hand in this file, so that nothing is written behind the test's back.
    keyring = await startTestApp({ KEYRING_USAGE_FLUSH_SECONDS: '3600' });
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    const widget = await createWidget(owner, orgId, { secret: 'usage-secret-0001' });
    widgetId = widget.widgetId;
    const created = await owner.request('POST', `/api/v1/orgs/${orgId}/api-keys`, {
      body: { name: 'Backend', tenantId: widget.tenantId, scopes: ['user-hash:issue', 'user-hash:verify'] },
    });
    ({ key } = created.body);
    keyId = created.body.apiKey.id;
  });
  afterAll(() => keyring.close());

  it('answers 1,000 requests without a single database write (nor read, once warm)', async () => {
    await issue('warm-up');
    const statements = await statementsDuring(async () => {
      for (let i = 0; i < 1000; i += 50) {
        const responses = await Promise.all(Array.from({ length: 50 }, (_, j) => issue(`visitor-${i + j}`)));
        expect(responses.every((response) => response.status === 200)).toBe(true);
      }
    });
    // The spy does see the database when something does use it.
    expect((await statementsDuring(() => owner.request('GET', '/api/v1/orgs'))).length).toBeGreaterThan(0);
    // The audit stream worker's own poll (every second, whatever the traffic) is not the tenant API's doing.
    const apis = statements.filter((sql) => !/\baudit_streams\b/.test(sql));
    const writes = apis.filter((sql) => /^\s*(INSERT|UPDATE|DELETE|WITH)/i.test(sql));
    expect({ writes: writes.length, reads: apis.length }).toEqual({ writes: 0, reads: 0 });
  });

  it('writes the counts per key, widget and minute at flush, with last_used_at', async () => {
    await keyring.app.get(UsageRecorder).flush();
    const [row] = await keyring.db.query<{ issued: number; last_used_at: Date | null }>(
      `SELECT sum(u.issued)::int AS issued, k.last_used_at FROM usage_minutes u JOIN api_keys k ON k.id = u.api_key_id
        WHERE u.api_key_id = $1 GROUP BY k.last_used_at`,
      [keyId],
    );
    expect(row.issued).toBe(1001);
    expect(row.last_used_at).not.toBeNull();
    await keyring.app.get(UsageRollup).run();
    const usage = await owner.request('GET', `/api/v1/orgs/${orgId}/usage?granularity=hour&from=${new Date(Date.now() - 3_600_000).toISOString()}`);
    expect(usage.status).toBe(200);
    expect(usage.body.items).toEqual([{ bucket: expect.any(String), issued: 1001, verified: 0 }]);
  });

  it('counts a verification only when it was answered, not when the widget had no secret to check with', async () => {
    const { tenantId } = await owner.request('GET', `/api/v1/orgs/${orgId}/widgets/${widgetId}`).then((response) => response.body);
    const { widgetId: bare } = await createWidget(owner, orgId, { tenantId, widgetName: 'No secret yet' });
    const verify = (id: string) =>
      keyring.request('POST', `/api/v1/widgets/${id}/user-hash/verify`, { body: { userHash: 'not.a.token' }, headers: { authorization: `Bearer ${key}` } });
    expect((await verify(bare)).status).toBe(409);
    expect((await verify(widgetId)).body).toMatchObject({ valid: false });
    await keyring.app.get(UsageRecorder).flush();
    const rows = await keyring.db.query<{ widget_id: string; verified: number }>(
      'SELECT widget_id, sum(verified)::int AS verified FROM usage_minutes WHERE api_key_id = $1 GROUP BY widget_id',
      [keyId],
    );
    expect(rows).toEqual([{ widget_id: widgetId, verified: 1 }]);
  });

  it('explains a bad usage query', async () => {
    const response = await owner.request('GET', `/api/v1/orgs/${orgId}/usage?granularity=minute&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`);
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe('from must be before to, at most 1 day(s) apart with granularity minute.');
    const week = await owner.request('GET', `/api/v1/orgs/${orgId}/usage?granularity=week`);
    expect(week.body.errors).toEqual([{ field: 'granularity', message: 'granularity must be minute, hour or day' }]);
  });
});

describe('rate limit per API key (real app)', () => {
  it('answers 429 with Retry-After past the limit, counting each identifier of a batch', async () => {
    const keyring = await startTestApp({ KEYRING_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const { organizationId, owner } = await completeSetup(keyring);
      const { tenantId, widgetId } = await createWidget(owner, organizationId, { secret: 'limited-secret-01' });
      const created = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'B', tenantId, scopes: ['user-hash:issue'] } });
      const headers = { authorization: `Bearer ${created.body.key}` };
      const batch = await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash/batch`, { body: { userIdentifiers: ['a', 'b', 'c', 'd'] }, headers });
      expect(batch.status).toBe(200);
      expect((await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'e' }, headers })).status).toBe(200);
      const over = await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'f' }, headers });
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(over.body).toMatchObject({
        type: 'urn:keyring:problem:rate-limited',
        detail: expect.stringMatching(/^This API key is over its limit of 5 userHashes a minute; retry in \d+ s\.$/),
      });
    } finally {
      await keyring.close();
    }
  });
});
