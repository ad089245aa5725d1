import { randomUUID } from 'node:crypto';
import { createWidget } from '../../test/custody-fixtures';
import { completeSetup } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { MetricsServer } from './metrics-server';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('metrics (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  let metricsUrl: string;
  let organizationId: string;
  let widgetId: string;
  let apiKey: string;
  const scrape = async () => (await fetch(metricsUrl)).text();
  const series = (text: string) => text.split('\n').filter((line) => line.startsWith('keyring_') && !line.startsWith('keyring_process') && !line.startsWith('keyring_nodejs'));

  beforeAll(async () => {
    keyring = await startTestApp();
    const { address, port } = keyring.app.get(MetricsServer).address();
    metricsUrl = `http://${address}:${port}/metrics`;
    let owner;
    ({ organizationId, owner } = await completeSetup(keyring));
    ({ widgetId } = await createWidget(owner, organizationId, { secret: 'metrics-widget-secret' }));
    const created = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, {
      body: { name: 'm', tenantId: (await owner.request('GET', `/api/v1/orgs/${organizationId}/widgets/${widgetId}`)).body.tenantId, scopes: ['user-hash:issue'] },
    });
    apiKey = created.body.key;
    const headers = { authorization: `Bearer ${apiKey}` };
    for (let i = 0; i < 3; i++) await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: `v${i}` }, headers });
    await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash/batch`, { body: { userIdentifiers: ['a', 'b'] }, headers });
    await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'x' } });
    await owner.request('GET', `/api/v1/orgs/${organizationId}/tenants`);
  });
  afterAll(() => keyring.close());

  it('are served on their own port, on loopback: route patterns and statuses, userHashes, caches, pool and feed', async () => {
    expect(keyring.app.get(MetricsServer).address().address).toBe('127.0.0.1');
    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const lines = (await response.text()).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'keyring_http_requests_total{method="POST",route="/api/v1/widgets/:widgetId/user-hash",status="200"} 3',
        'keyring_http_requests_total{method="POST",route="/api/v1/widgets/:widgetId/user-hash/batch",status="200"} 1',
        'keyring_http_requests_total{method="POST",route="/api/v1/widgets/:widgetId/user-hash",status="401"} 1',
        'keyring_http_requests_total{method="GET",route="/api/v1/orgs/:orgId/tenants",status="200"} 1',
        'keyring_user_hashes_issued_total 5',
        'keyring_cache_lookups_total{cache="api-key",result="miss"} 1',
        'keyring_cache_lookups_total{cache="api-key",result="hit"} 3',
        'keyring_change_feed_reconnects_total 0',
        'keyring_audit_write_failures_total 0',
      ]),
    );
    expect(lines.some((line) => /^keyring_db_pool_connections\{state="total"\} [1-9]/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('keyring_process_resident_memory_bytes'))).toBe(true);
    expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('are not on the app port without KEYRING_METRICS_TOKEN', async () => {
    const response = await keyring.request('GET', '/metrics');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ status: 404, detail: 'Metrics are served on their own port (KEYRING_METRICS_PORT), not here.' });
  });

  it('with KEYRING_METRICS_TOKEN, are on the app port to that bearer token only', async () => {
    const token = 'metrics-token-0123456789-abcdefghij';
    const withToken = await startTestApp({ KEYRING_METRICS_TOKEN: token });
    try {
      for (const authorization of [undefined, 'Bearer wrong', `Basic ${token}`, `Bearer ${token}x`]) {
        const refused = await withToken.request('GET', '/metrics', { headers: authorization ? { authorization } : {} });
        expect({ authorization, status: refused.status, detail: refused.body.detail }).toEqual({
          authorization,
          status: 401,
          detail: 'Send the metrics token as "Authorization: Bearer <KEYRING_METRICS_TOKEN>".',
        });
      }
      const scraped = await withToken.request('GET', '/metrics', { headers: { authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain('keyring_http_requests_total');
      expect(scraped.headers.get('cache-control')).toBe('no-store');
    } finally {
      await withToken.close();
    }
  });

  it('carry no id of a widget, organization or anything else, and a bounded number of series whatever the traffic', async () => {
    const headers = { authorization: `Bearer ${apiKey}` };
    // One request of each kind, then many more of the same kinds with fresh ids, paths, identifiers and methods.
    const traffic = async (round: number) => {
      for (let i = 0; i < round; i++) {
        const id = randomUUID();
        await keyring.request('GET', `/no-such-page-${id}`);
        await keyring.request('GET', `/api/v1/orgs/${id}/widgets/${randomUUID()}`);
        await keyring.request('POST', `/api/v1/widgets/${id}/user-hash`, { body: { userIdentifier: id }, headers });
        await keyring.request('POST', `/api/v1/widgets/${widgetId.toUpperCase()}/user-hash`, { body: { userIdentifier: id }, headers });
        await keyring.request('PROPFIND', `/api/v1/${id}`);
        await keyring.request('MKCOL', `/api/v1/${id}`);
      }
    };
    await traffic(1);
    const before = series(await scrape()).filter((line) => !line.includes('_bucket') && !line.startsWith('keyring_db_pool'));
    await traffic(30);
    const text = await scrape();
    const after = series(text).filter((line) => !line.includes('_bucket') && !line.startsWith('keyring_db_pool'));
    const names = (lines: string[]) => lines.map((line) => line.replace(/ [^ ]+$/, '')).sort();
    expect(names(after)).toEqual(names(before));
    expect(text).not.toMatch(UUID);
    expect(text).not.toContain(apiKey);
    expect(text).toContain('method="other"');
  });
});
