/** Calls `probe` every 10 ms until `done` says yes; returns how long that took, or throws after `limitMs`. */
export async function timeUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, limitMs = 5_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (done(await probe())) return performance.now() - started;
    if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
