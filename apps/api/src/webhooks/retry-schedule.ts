/** The longest wait between two attempts, however many failed. */
const MAX_DELAY_MS = 60 * 60_000;

/**
 * How long to wait after the `attempt`-th failed attempt (1-based): `baseMs` doubled for each earlier failure, up
 * to an hour, times a random factor in [0.5, 1.5) so that the deliveries of one outage do not all come back at
 * once. With the default base of 10 s, the first retry comes within 15 s.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
  return Math.round(exponential * (0.5 + random()));
}
