import { createWidget } from '../../test/custody-fixtures';
import { completeSetup } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';

describe('GET /metrics (real app, real PostgreSQL)', () => {
  let keyring: TestApp;
  afterAll(() => keyring.close());

  it('counts requests by route pattern and status, userHashes by widget, cache look-ups, pool and feed state', async () => {
    keyring = await startTestApp();
    const { organizationId, owner } = await completeSetup(keyring);
    const { tenantId, widgetId } = await createWidget(owner, organizationId, { secret: 'metrics-widget-secret' });
    const created = await owner.request('POST', `/api/v1/orgs/${organizationId}/api-keys`, { body: { name: 'm', tenantId, scopes: ['user-hash:issue'] } });
    const headers = { authorization: `Bearer ${created.body.key}` };
    for (let i = 0; i < 3; i++) await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: `v${i}` }, headers });
    await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash/batch`, { body: { userIdentifiers: ['a', 'b'] }, headers });
    await keyring.request('POST', `/api/v1/widgets/${widgetId}/user-hash`, { body: { userIdentifier: 'x' } });
    await owner.request('GET', `/api/v1/orgs/${organizationId}/tenants`);

    const response = await keyring.request('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const lines = response.text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'keyring_http_requests_total{method="POST",route="/api/v1/widgets/:widgetId/user-hash",status="200"} 3',
        'keyring_http_requests_total{method="POST",route="/api/v1/widgets/:widgetId/user-hash/batch",status="200"} 1',
        'keyring_http_requests_total{method="POST",route="/api/v1/widgets/:widgetId/user-hash",status="401"} 1',
        'keyring_http_requests_total{method="GET",route="/api/v1/orgs/:orgId/tenants",status="200"} 1',
        `keyring_user_hashes_issued_total{widget_id="${widgetId}"} 5`,
        'keyring_cache_lookups_total{cache="api-key",result="miss"} 1',
        'keyring_cache_lookups_total{cache="api-key",result="hit"} 3',
        'keyring_cache_lookups_total{cache="widget",result="miss"} 1',
        'keyring_cache_lookups_total{cache="widget",result="hit"} 3',
        'keyring_change_feed_reconnects_total 0',
        'keyring_audit_write_failures_total 0',
      ]),
    );
    expect(lines.some((line) => /^keyring_db_pool_connections\{state="total"\} [1-9]/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('keyring_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/v1/widgets/:widgetId/user-hash",status="200"}'))).toBe(true);
    expect(lines.some((line) => line.startsWith('keyring_process_resident_memory_bytes'))).toBe(true);
    // Labels are route patterns: no raw ids beyond the widget label, and never a credential.
    expect(response.text).not.toContain(created.body.key);
    expect(response.text).not.toContain(`/orgs/${organizationId}`);
  });
});
