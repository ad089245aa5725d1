/** From this many requests a second, the instance counts as busy serving its API. */
export const BUSY_REQUESTS_PER_SECOND = 100;
/** While busy, deliveries start in batches this far apart (a batch is claimed by one statement). */
export const BUSY_TICK_MS = 250;

/**
 * How many deliveries may start now. The tenant API comes first: while the instance answers at least
 * BUSY_REQUESTS_PER_SECOND requests a second, deliveries start at most `busyRate` a second, a batch every
 * BUSY_TICK_MS, so that a backlog of thousands of events does not take the CPU the API needs (on a busy 2-core
 * host, each delivery costs what dozens of signed userHashes do: a claim, an HTTP exchange and a record). When the
 * instance is quiet there is no limit but the dispatcher's concurrency, and a backlog drains at full speed.
 */
export class DeliveryPace {
  private readonly batch: number;
  private tokens: number;
  private tickAt = 0;

  constructor(
    busyRate: number,
    private readonly requestsPerSecond: () => number,
    private readonly now: () => number = Date.now,
  ) {
    this.batch = Math.max(1, Math.round((busyRate * BUSY_TICK_MS) / 1000));
    this.tokens = this.batch;
  }

  /** Deliveries that may start now: Infinity when the instance is quiet. */
  allowance(): number {
    const now = this.now();
    if (this.requestsPerSecond() < BUSY_REQUESTS_PER_SECOND) {
      this.tokens = this.batch;
      this.tickAt = now;
      return Infinity;
    }
    if (now - this.tickAt >= BUSY_TICK_MS) {
      this.tokens = this.batch;
      this.tickAt = now;
    }
    return this.tokens;
  }

  spend(count: number): void {
    this.tokens = Math.max(0, this.tokens - count);
  }

  /** When (ms since the epoch) the next batch may start, once this one is spent. */
  nextBatchAt(): number {
    return this.tickAt + BUSY_TICK_MS;
  }
}
