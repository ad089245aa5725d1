import type { MaybePromise } from '../common/maybe-promise';
import type { Change, ChangeFeed } from './change-feed';

/**
 * An in-memory cache that the change feed keeps honest: entries of a changed thing are dropped on every instance,
 * everything is dropped when the feed reconnects, and nothing is served from cache while the feed is down.
 *
 * Bounded: at most `maxEntries`, the least recently used going first (a Map keeps insertion order, and a hit moves
 * its entry to the end). A change finds its entries through an index by id, so it costs what it drops, not the
 * cache's size; and it spoils only the loads in flight of what it changed.
 */
export class LiveCache<V extends { id: string }> {
  private readonly entries = new Map<string, V>();
  /** The keys of the entries of each changed thing: `kind:id` → keys. */
  private readonly index = new Map<string, Set<string>>();
  /** A logical clock: when each load started, and when each thing last changed while loads were in flight. */
  private clock = 0;
  private clearedAt = 0;
  private readonly changedAt = new Map<string, number>();
  private inFlight = 0;
  hits = 0;
  misses = 0;
  evictions = 0;

  /**
   * `owners`: other kinds of change that concern an entry, with the id of its owner of that kind (a widget's
   * tenant), so that a change of the owner drops every entry it owns.
   */
  constructor(
    private readonly feed: ChangeFeed,
    private readonly kind: Change['kind'],
    private readonly maxEntries: number,
    private readonly owners: Partial<Record<Change['kind'], (value: V) => string>> = {},
  ) {
    feed.caches.set(kind, this);
    feed.subscribe((change) => {
      if (change === 'all') this.clear();
      else this.invalidate(`${change.kind}:${change.id}`);
    });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value if there is one, without counting a look-up or making it recently used. */
  peek(key: string): V | undefined {
    return this.feed.live ? this.entries.get(key) : undefined;
  }

  /**
   * The cached value, synchronously when there is one; otherwise `load()`'s, kept if nothing of it changed meanwhile.
   * `load` may hand other entries it read along the way to `keepAlso` (a whole tenant's widgets), kept on the same terms.
   */
  get(key: string, load: (keepAlso: (entries: Iterable<[string, V]>) => void) => Promise<V | null>): MaybePromise<V | null> {
    const cached = this.feed.live ? this.entries.get(key) : undefined;
    if (cached) {
      this.hits += 1;
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    this.misses += 1;
    return this.tracked(async (keep) => {
      const value = await load(keep);
      if (value) keep([[key, value]]);
      return value;
    });
  }

  /** Entries loaded ahead of any look-up (a warm start), kept on the terms of a miss's. */
  preload(load: () => Promise<Iterable<[string, V]>>): Promise<void> {
    return this.tracked(async (keep) => keep(await load()));
  }

  /** Runs a load: what it hands to `keep` is kept unless something of it changed (or the feed dropped out) since it started. */
  private async tracked<T>(work: (keep: (entries: Iterable<[string, V]>) => void) => Promise<T>): Promise<T> {
    const started = ++this.clock;
    this.inFlight += 1;
    try {
      return await work((entries) => {
        for (const [key, value] of entries) if (this.feed.live && !this.changedSince(value, started)) this.set(key, value);
      });
    } finally {
      this.inFlight -= 1;
      // Change times only matter to loads in flight: with none, they are forgotten (the map stays small).
      if (this.inFlight === 0) this.changedAt.clear();
    }
  }

  private changedSince(value: V, started: number): boolean {
    if (this.clearedAt > started) return true;
    return this.tagsOf(value).some((tag) => (this.changedAt.get(tag) ?? 0) > started);
  }

  private set(key: string, value: V): void {
    this.delete(key);
    this.entries.set(key, value);
    for (const tag of this.tagsOf(value)) {
      const keys = this.index.get(tag) ?? new Set<string>();
      keys.add(key);
      this.index.set(tag, keys);
    }
    if (this.entries.size > this.maxEntries) {
      this.delete(this.entries.keys().next().value as string);
      this.evictions += 1;
    }
  }

  private delete(key: string): void {
    const value = this.entries.get(key);
    if (!value) return;
    this.entries.delete(key);
    for (const tag of this.tagsOf(value)) {
      const keys = this.index.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.index.delete(tag);
    }
  }

  /** `kind:id` of the entry itself and of each of its owners. */
  private tagsOf(value: V): string[] {
    const tags = [`${this.kind}:${value.id}`];
    for (const [kind, ownerOf] of Object.entries(this.owners)) tags.push(`${kind}:${ownerOf(value)}`);
    return tags;
  }

  private invalidate(tag: string): void {
    if (this.inFlight > 0) this.changedAt.set(tag, ++this.clock);
    for (const key of [...(this.index.get(tag) ?? [])]) this.delete(key);
  }

  private clear(): void {
    this.clearedAt = ++this.clock;
    this.entries.clear();
    this.index.clear();
  }
}
