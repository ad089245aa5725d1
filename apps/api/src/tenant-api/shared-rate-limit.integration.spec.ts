import { createWidget } from '../../test/custody-fixtures';
import { completeSetup } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { startTestRedis, type TestRedis } from '../../test/test-redis';

describe('rate limit shared through Redis by two instances (real apps, real PostgreSQL, real Redis)', () => {
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let widgetId: string;
  let headers: Record<string, string>;
  const issue = (instance: TestApp, userIdentifier: string) =>
    instance.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier }, headers });

  beforeAll(async () => {
    redis = await startTestRedis();
    // 6 a minute: one token back every 10 s, so a slow machine cannot refill the bucket during the test's burst.
    const env = { KEYRING_RATE_LIMIT_PER_MINUTE: '6', REDIS_URL: redis.url };
    a = await startTestApp(env);
    b = await startTestApp(env, a.db);
    const { organizationId, owner } = await completeSetup(a);
    let tenantId: string;
    ({ tenantId, widgetId } = await createWidget(owner, organizationId, { secret: 'shared-limit-secret' }));
    const created = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'B', tenantId, scopes: ['user-hash:issue'] } });
    headers = { authorization: `Bearer ${created.body.key}` };
  });
  afterAll(async () => {
    await b.app.close();
    await a.close();
    await redis.stop();
  });

  it('admits the limit once across both instances, then 429 on either', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await issue(a, `a-${i}`)).status);
    for (let i = 0; i < 2; i++) statuses.push((await issue(b, `b-${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);

    // Counted alone, B would still have 4 of its own 6 left.
    const overOnB = await issue(b, 'b-over');
    expect(overOnB.status).toBe(429);
    const retryAfter = Number(overOnB.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect(overOnB.body).toMatchObject({
      type: 'urn:keyring:problem:rate-limited',
      detail: `This API key is over its limit of 6 userHashes a minute; retry in ${retryAfter} s.`,
      retryAfterSeconds: retryAfter,
    });
    expect((await issue(a, 'a-over')).status).toBe(429);
  });

  it('keeps serving, limited per instance, while Redis is down, and says so in the log', async () => {
    await redis.stop();
    const response = await issue(a, 'while-redis-is-down');
    expect(response.status).toBe(200);
    expect(a.logs.some((line) => line.includes('Redis is unreachable: rate limits are counted per instance until it is back'))).toBe(true);
  });
});
