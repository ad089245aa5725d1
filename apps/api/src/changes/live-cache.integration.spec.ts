import { createTestDatabase, type TestDatabase } from '../../test/test-database';
import { timeUntil } from '../../test/time-until';
import { ChangeFeed } from './change-feed';
import { LiveCache } from './live-cache';

interface Widget {
  id: string;
  tenantId: string;
}

/** The cache on a real change feed: changes arrive as another instance sends them, through PostgreSQL. */
describe('LiveCache (real change feed, real PostgreSQL)', () => {
  let db: TestDatabase;
  let feed: ChangeFeed;
  const widget = (id: string, tenantId = 'tenant-a'): Widget => ({ id, tenantId });
  const cacheOf = (maxEntries: number) => new LiveCache<Widget>(feed, 'widget', maxEntries, { tenant: (value) => value.tenantId });
  const fill = async (cache: LiveCache<Widget>, ...widgets: Widget[]) => {
    for (const value of widgets) await cache.get(value.id, async () => value);
  };
  const cached = (cache: LiveCache<Widget>, id: string) => cache.get(id, async () => null) !== null && !(cache.get(id, async () => null) instanceof Promise);
  const heard = new Set<string>();
  /** Changes as another instance publishes them; resolves once this feed has heard the last. */
  const change = async (kind: 'widget' | 'tenant', ...ids: string[]) => {
    await db.query("SELECT pg_notify('keyring_changes', json_build_object('kind', $1::text, 'id', id)::text) FROM unnest($2::text[]) AS id", [kind, ids]);
    await timeUntil(async () => heard.has(`${kind}:${ids[ids.length - 1]}`), (done) => done);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    feed = new ChangeFeed(db.appUrl);
    feed.subscribe((received) => received !== 'all' && heard.add(`${received.kind}:${received.id}`));
    await feed.onModuleInit();
  });
  afterAll(async () => {
    await feed.onModuleDestroy();
    await db.drop();
  });

  it('holds at most its configured size, dropping the least recently used', async () => {
    const cache = cacheOf(3);
    await fill(cache, widget('a'), widget('b'), widget('c'));
    expect(cached(cache, 'a')).toBe(true); // a is now the most recently used
    await fill(cache, widget('d'));
    expect(cache.size).toBe(3);
    expect({ a: cached(cache, 'a'), b: cached(cache, 'b'), c: cached(cache, 'c'), d: cached(cache, 'd') }).toEqual({ a: true, b: false, c: true, d: true });
    expect(cache.evictions).toBe(1);
  });

  it('drops what a change is about, and only that: the widget, or every widget of a changed tenant', async () => {
    const cache = cacheOf(10);
    await fill(cache, widget('w1'), widget('w2'), widget('w3', 'tenant-b'));
    await change('widget', 'w1');
    expect({ w1: cached(cache, 'w1'), w2: cached(cache, 'w2'), w3: cached(cache, 'w3') }).toEqual({ w1: false, w2: true, w3: true });
    await change('tenant', 'tenant-a');
    expect({ w2: cached(cache, 'w2'), w3: cached(cache, 'w3') }).toEqual({ w2: false, w3: true });
  });

  it('keeps loads in flight that a change is not about', async () => {
    const cache = cacheOf(10);
    const pending = new Map<string, (value: Widget) => void>();
    const load = (id: string) => cache.get(id, () => new Promise<Widget>((resolve) => pending.set(id, resolve)));
    const loads = [load('x1'), load('x2'), load('x3')];
    await change('widget', 'x2');
    await change('tenant', 'tenant-c');
    pending.get('x1')?.(widget('x1'));
    pending.get('x2')?.(widget('x2'));
    pending.get('x3')?.(widget('x3', 'tenant-c'));
    await Promise.all(loads);
    // x2 changed while it loaded, x3's tenant did: what they read may be stale. x1's load is unrelated.
    expect({ x1: cached(cache, 'x1'), x2: cached(cache, 'x2'), x3: cached(cache, 'x3') }).toEqual({ x1: true, x2: false, x3: false });
  });

  it('finds what a change is about without looking at every entry', async () => {
    const cache = cacheOf(100_000);
    const widgets = Array.from({ length: 100_000 }, (_, i) => widget(`w${i}`, `t${i % 1000}`));
    await cache.get('w0', async (keepAlso) => {
      keepAlso(widgets.map((value): [string, Widget] => [value.id, value]));
      return widgets[0];
    });
    const started = performance.now();
    await change('widget', ...Array.from({ length: 500 }, (_, i) => `w${i}`));
    const elapsed = performance.now() - started;
    expect(cache.size).toBe(99_500);
    // 500 changes each scanning 100,000 entries take seconds; through the index, about what the notifications cost.
    expect(elapsed).toBeLessThan(1_000);
  });
});
