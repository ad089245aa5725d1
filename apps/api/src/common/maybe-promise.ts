/**
 * A value that is there now or later. The tenant API's hot path answers from memory almost always; keeping that
 * case synchronous spares a promise and a microtask per step, which at tens of thousands of requests a second is
 * measurable (tools/bench/user-hash.mjs). Only that path uses it.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `next(value)`, right away when the value is there, after it resolves otherwise. */
export function andThen<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
