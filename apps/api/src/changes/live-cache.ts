import type { MaybePromise } from '../common/maybe-promise';
import type { Change, ChangeFeed } from './change-feed';

/**
 * An in-memory cache that the change feed keeps honest: entries of a changed thing are dropped on every instance,
 * everything is dropped when the feed reconnects, and nothing is served from cache while the feed is down.
 */
export class LiveCache<V extends { id: string }> {
  private readonly entries = new Map<string, V>();
  /** Bumped by every invalidation, so that a load that raced with a change is not stored. */
  private generation = 0;
  hits = 0;
  misses = 0;

  /**
   * `owners`: other kinds of change that concern an entry, with the id of its owner of that kind (a widget's
   * tenant), so that a change of the owner drops every entry it owns.
   */
  constructor(
    private readonly feed: ChangeFeed,
    private readonly kind: Change['kind'],
    private readonly owners: Partial<Record<Change['kind'], (value: V) => string>> = {},
  ) {
    feed.caches.set(kind, this);
    feed.subscribe((change) => {
      if (change === 'all') this.clear();
      else if (change.kind === kind) this.invalidate(change.id, (value) => value.id);
      else {
        const ownerOf = this.owners[change.kind];
        if (ownerOf) this.invalidate(change.id, ownerOf);
      }
    });
  }

  /** The cached value, synchronously when there is one; otherwise `load()`'s, kept if nothing changed meanwhile. */
  get(key: string, load: () => Promise<V | null>): MaybePromise<V | null> {
    const cached = this.feed.live ? this.entries.get(key) : undefined;
    if (cached) {
      this.hits += 1;
      return cached;
    }
    this.misses += 1;
    const generation = this.generation;
    return load().then((value) => {
      if (value && this.feed.live && generation === this.generation) this.entries.set(key, value);
      return value;
    });
  }

  private invalidate(id: string, idOf: (value: V) => string): void {
    this.generation += 1;
    for (const [key, value] of this.entries) if (idOf(value) === id) this.entries.delete(key);
  }

  private clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
