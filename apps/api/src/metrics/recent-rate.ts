/** How often something happened over about the last second: two half-second buckets, O(1) to count and to read. */
export class RecentRate {
  private bucketStart = 0;
  private current = 0;
  private previous = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  count(): void {
    this.roll();
    this.current += 1;
  }

  /** Events in the current half-second and the one before it. */
  perSecond(): number {
    this.roll();
    return this.previous + this.current;
  }

  private roll(): void {
    const now = this.now();
    const elapsed = now - this.bucketStart;
    if (elapsed < 500) return;
    this.previous = elapsed < 1_000 ? this.current : 0;
    this.current = 0;
    this.bucketStart = now;
  }
}
