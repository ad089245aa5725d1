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
    const env = { KEYRING_RATE_LIMIT_PER_MINUTE: '60', REDIS_URL: redis.url };
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
    for (let i = 0; i < 40; i++) statuses.push((await issue(a, `a-${i}`)).status);
    for (let i = 0; i < 20; i++) statuses.push((await issue(b, `b-${i}`)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(60);

    const overOnB = await issue(b, 'b-over');
    expect(overOnB.status).toBe(429);
    expect(overOnB.headers.get('retry-after')).toBe('1');
    expect(overOnB.body).toMatchObject({
      type: 'urn:keyring:problem:rate-limited',
      detail: 'This API key is over its limit of 60 userHashes a minute; retry in 1 s.',
      retryAfterSeconds: 1,
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
