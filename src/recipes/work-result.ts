import { from, isObservable, type InteropObservable, type Observable, of } from 'rxjs';

/**
 * What the work of `withLock`, `withReadLock` and `withWriteLock` may return: an Observable (its
 * values are emitted), a Promise or async iterable (the same), or a plain value, which is emitted
 * once as it is. A string or an array is a plain value: `() => 'done'` emits `'done'`, not `d`,
 * `o`, `n`, `e`. A function that returns nothing emits `undefined` once, so that
 * `firstValueFrom(withLock(...))` resolves after the release.
 */
export type WorkResult<T> = Observable<T> | InteropObservable<T> | PromiseLike<T> | AsyncIterable<T> | T;

/** The values of a work's result, as {@link WorkResult} says. */
export function workResult<T>(result: WorkResult<T>): Observable<T> {
  if (isObservable(result)) return result as Observable<T>;
  if (result !== null && (typeof result === 'object' || typeof result === 'function')) {
    const candidate = result as Partial<Record<PropertyKey, unknown>> & { then?: unknown };
    if (
      typeof candidate.then === 'function' ||
      typeof candidate[Symbol.asyncIterator] === 'function' ||
      typeof candidate[(Symbol as { observable?: symbol }).observable ?? '@@observable'] === 'function'
    ) {
      return from(result as PromiseLike<T> | AsyncIterable<T> | InteropObservable<T>);
    }
  }
  return of(result as T);
}
