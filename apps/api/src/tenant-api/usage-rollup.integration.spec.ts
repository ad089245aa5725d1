import { createWidget } from '../../test/custody-fixtures';
import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { UsageRollup } from './usage-rollup';

/** Minute counts are seeded as the owner (the recorder's own writes are covered by usage.integration.spec.ts). */
describe('usage rollups (real app, real PostgreSQL)', () => {
  const HOUR = 3_600_000;
  let keyring: TestApp;
  let owner: Session;
  let orgId: string;
  let widgets: string[];
  let keys: string[];
  const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
  const minute = (hoursAgo: number, minuteOfHour: number) => new Date(thisHour - hoursAgo * HOUR + minuteOfHour * 60_000);
  const rollup = () => keyring.app.get(UsageRollup).run();
  const chart = (query: string) => owner.request('GET', `/api/v1/orgs/${orgId}/usage?${query}`);
  const seed = (hoursAgo: number, issued: number, verified = 0, minutes = [0, 30]) =>
    keyring.db.query(
      `INSERT INTO usage_minutes (organization_id, api_key_id, widget_id, minute, issued, verified)
       SELECT $1, k, w, m, $5, $6 FROM unnest($2::uuid[]) k, unnest($3::uuid[]) w, unnest($4::timestamptz[]) m`,
      [orgId, keys, widgets, minutes.map((m) => minute(hoursAgo, m)), issued, verified],
    );

  beforeAll(async () => {
    // The job runs by hand in this file, and records nothing on its own.
    keyring = await startTestApp({ KEYRING_USAGE_ROLLUP_SECONDS: '3600', KEYRING_USAGE_MINUTE_RETENTION_HOURS: '26' });
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    const first = await createWidget(owner, orgId, { secret: 'rollup-secret-0001' });
    const second = await createWidget(owner, orgId, { tenantId: first.tenantId, widgetName: 'Second', secret: 'rollup-secret-0002' });
    widgets = [first.widgetId, second.widgetId];
    keys = [];
    for (const name of ['Backend', 'Worker']) {
      const created = await owner.request('POST', `/api/v1/orgs/${orgId}/api-keys`, {
        body: { name, tenantId: first.tenantId, scopes: ['user-hash:issue'] },
      });
      keys.push(created.body.apiKey.id);
    }
    // 2 keys × 2 widgets × 2 minutes in each of: this hour, the last one, and 30 hours ago (past minute retention).
    await seed(0, 1, 1);
    await seed(1, 10);
    await seed(30, 100);
  });
  afterAll(() => keyring.close());

  it('sums minutes into one row per widget and hour, and hours into one per widget and day, idempotently', async () => {
    expect(await rollup()).toBe(true);
    const hours = await keyring.db.query('SELECT widget_id, bucket, issued::int, verified::int FROM usage_hours ORDER BY bucket, widget_id');
    expect(hours).toEqual(
      [minute(1, 0), minute(0, 0)].flatMap((bucket, index) =>
        [...widgets].sort().map((widget_id) => ({ widget_id, bucket, issued: index === 0 ? 40 : 4, verified: index === 0 ? 0 : 4 })),
      ),
    );
    const before = await chart('granularity=hour&from=' + minute(2, 0).toISOString());
    expect(await rollup()).toBe(true);
    expect((await chart('granularity=hour&from=' + minute(2, 0).toISOString())).body.items).toEqual(before.body.items);
    expect(before.body.items).toEqual([
      { bucket: minute(1, 0).toISOString(), issued: 80, verified: 0 },
      { bucket: minute(0, 0).toISOString(), issued: 8, verified: 8 },
    ]);
  });

  it('takes counts flushed late into the last hour, and answers the 30-day chart from one row per widget and day', async () => {
    await seed(1, 5, 0, [45]); // flushed after the previous round
    expect(await rollup()).toBe(true);
    const days = await keyring.db.query<{ rows: number; issued: number }>('SELECT count(*)::int AS rows, sum(issued)::int AS issued FROM usage_days');
    expect(days[0].issued).toBe(88 + 20);
    expect(days[0].rows).toBeLessThanOrEqual(2 * widgets.length);
    // A day whose minutes and hours are long gone (past retention) is still on the chart: it reads the day levels
    // (of the widget, and of its tenant for the chart of many widgets), as the rollup left them.
    await keyring.db.query(
      `INSERT INTO usage_days (organization_id, widget_id, bucket, issued, verified) VALUES ($1, $2, date_trunc('day', now() - interval '10 days', 'UTC'), 1000, 0)`,
      [orgId, widgets[0]],
    );
    await keyring.db.query(
      `INSERT INTO usage_tenant_days (organization_id, tenant_id, bucket, issued, verified)
       SELECT $1, tenant_id, date_trunc('day', now() - interval '10 days', 'UTC'), 1000, 0 FROM widgets WHERE id = $2`,
      [orgId, widgets[0]],
    );
    const total = async (query: string) => {
      const month = await chart(query);
      expect(month.status).toBe(200);
      return month.body.items.reduce((sum: number, item: { issued: number }) => sum + item.issued, 0);
    };
    expect(await total('granularity=day')).toBe(1108);
    expect(await total(`granularity=day&widgetId=${widgets[0]}`)).toBe(1000 + 54);
  });

  it("answers the 30-day chart of many widgets from one row per tenant and day (#14: 60k widget-days took 180-500 ms)", async () => {
    expect(await rollup()).toBe(true);
    const [tenantDays] = await keyring.db.query<{ rows: number; issued: number }>(
      'SELECT count(*)::int AS rows, sum(issued)::int AS issued FROM usage_tenant_days WHERE organization_id = $1',
      [orgId],
    );
    // Both widgets are of one tenant: today and yesterday (the rollup's two days) and the day seeded above.
    expect(tenantDays.rows).toBeLessThanOrEqual(3);
    expect(tenantDays.issued).toBe(1108);
    // The figure is the tenant level's: the chart does not sum the widgets' days.
    await keyring.db.query('UPDATE usage_tenant_days SET issued = issued + 5000 WHERE organization_id = $1 AND bucket = date_trunc(\'day\', now(), \'UTC\')', [orgId]);
    const month = await chart('granularity=day');
    expect(month.body.items.reduce((sum: number, item: { issued: number }) => sum + item.issued, 0)).toBe(6108);
    // The next round recomputes today from the widgets' days.
    expect(await rollup()).toBe(true);
    const again = await chart('granularity=day');
    expect(again.body.items.reduce((sum: number, item: { issued: number }) => sum + item.issued, 0)).toBe(1108);
  });

  it('deletes minutes past their retention, and skips a round another instance is running', async () => {
    const [{ old }] = await keyring.db.query<{ old: number }>('SELECT count(*)::int AS old FROM usage_minutes WHERE minute < $1', [minute(26, 0)]);
    expect(old).toBe(0);
    await keyring.db.query('BEGIN');
    try {
      await keyring.db.query("SELECT pg_advisory_xact_lock(hashtext('usage-rollup'))");
      expect(await rollup()).toBe(false);
    } finally {
      await keyring.db.query('COMMIT');
    }
    expect(await rollup()).toBe(true);
  });
});
