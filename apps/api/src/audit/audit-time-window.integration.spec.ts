import { memberScope } from '../access/scope';
import { completeSetup, type Session } from '../../test/identity-fixtures';
import { startTestApp, type TestApp } from '../../test/test-app';
import { auditPageQuery, type AuditFilter } from './audit.repository';

/**
 * A time window's cost does not grow with the log: its seq bounds come from the time index. Seeded rows go in as
 * the owner (their hashes are not a valid chain: this suite reads windows, it does not verify).
 */
describe('audit time windows (real app, real PostgreSQL)', () => {
  const EVENTS = 60_000;
  const START = Date.parse('2026-01-01T00:00:00Z');
  const at = (second: number) => new Date(START + second * 1000).toISOString();
  let keyring: TestApp;
  let orgId: string;
  let owner: Session;
  let firstSeq: number;

  beforeAll(async () => {
    keyring = await startTestApp();
    ({ organizationId: orgId, owner } = await completeSetup(keyring));
    const [{ max }] = await keyring.db.query<{ max: number }>('SELECT max(seq)::int AS max FROM audit_events WHERE organization_id = $1', [orgId]);
    firstSeq = max + 1;
    // One event a second from START, in seq order; the pair at seconds 30000/30001 is written out of clock order,
    // as two instances whose clocks differ by 20 s would write it.
    await keyring.db.query(
      `INSERT INTO audit_events (organization_id, seq, occurred_at, actor_type, action, outcome, prev_hash, hash)
       SELECT $1, $2 + i, $3::timestamptz + make_interval(secs => CASE i WHEN 30000 THEN 30020 ELSE i END),
              'system', CASE WHEN i % 10 = 0 THEN 'seeded.rare' ELSE 'seeded.common' END, 'success', 'x', 'x'
         FROM generate_series(0, $4 - 1) AS i`,
      [orgId, firstSeq, at(0), EVENTS],
    );
    await keyring.db.query('ANALYZE audit_events');
  }, 60_000);
  afterAll(() => keyring.close());

  const window = (query: string) => owner.request('GET', `/api/v1/orgs/${orgId}/audit-events?limit=100&${query}`);

  it('returns exactly the events of the window, also those written out of clock order', async () => {
    const response = await window(`from=${at(30010)}&to=${at(30025)}`);
    expect(response.status).toBe(200);
    const seconds = response.body.items.map((event: { occurredAt: string }) => (Date.parse(event.occurredAt) - START) / 1000);
    // 30010–30024, plus the event of seq firstSeq+30000 stamped 30020 by a clock 20 s ahead.
    expect(seconds).toEqual([30024, 30023, 30022, 30021, 30020, 30019, 30018, 30017, 30016, 30015, 30014, 30013, 30012, 30011, 30010, 30020]);

    const late = await window(`from=${at(59_990)}&action=seeded.rare`);
    expect(late.body.items.map((event: { seq: number }) => event.seq)).toEqual([firstSeq + 59_990]);
    const early = await window(`to=${at(25)}&action=seeded.rare`);
    expect(early.body.items.map((event: { seq: number }) => event.seq)).toEqual([firstSeq + 20, firstSeq + 10, firstSeq]);
  });

  it.each<[string, AuditFilter]>([
    ['a recent window', { from: at(59_990) }],
    ['an early window', { to: at(10) }],
    ['a window with an action', { from: at(59_000), to: at(59_100), action: 'seeded.rare' }],
    ['an early window with an action', { from: at(100), to: at(200), action: 'seeded.rare' }],
  ])('reads %s through the time index, not by walking the log', async (_name, filter) => {
    for (const ascending of [false, true]) {
      const { sql, params } = auditPageQuery(memberScope(orgId, owner.userId, null), filter, 51, null, ascending);
      const [{ 'QUERY PLAN': [plan] }] = await keyring.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
        params,
      );
      const nodes = flatten(plan.Plan);
      const removed = nodes.reduce((sum, node) => sum + (node['Rows Removed by Filter'] ?? 0) * (node['Actual Loops'] ?? 1), 0);
      const read = nodes.filter((node) => node['Node Type'].includes('Scan')).reduce((sum, node) => sum + node['Actual Rows'], 0);
      expect({ removed: removed < 500, read: read < 500 }).toEqual({ removed: true, read: true });
    }
  });
});

interface PlanNode {
  'Node Type': string;
  'Actual Rows': number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}
