import { asyncScheduler, retry, throwError, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { isRetryable, NoNodeError, SessionExpiredError } from '../errors/zk-error.js';

/** Options of {@link retryBackoff}. */
export interface RetryBackoffOptions {
  /** Delay before the first retry. Default 50 ms. */
  initialDelayMs?: number;
  /** Delays double up to this. Default 2000 ms. */
  maxDelayMs?: number;
  /** Give up (re-throw) after this many retries in a row. Default: never give up. */
  maxRetries?: number;
  /** Which errors are worth retrying. Default {@link isTransient}. */
  isTransient?: (error: unknown) => boolean;
  /** Times the delays. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Whether a recipe step that failed with `error` may succeed if tried again: the connection
 * dropped or timed out, the session was lost (the next one will do), or a node it needed vanished.
 */
export function isTransient(error: unknown): boolean {
  return isRetryable(error) || error instanceof SessionExpiredError || error instanceof NoNodeError;
}

/** The delay before retry number `retry` (1-based): doubling from `initial`, capped at `max`. */
export function backoffDelay(retry: number, initialDelayMs = 50, maxDelayMs = 2000): number {
  return Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, retry - 1));
}

/**
 * Resubscribes to the source after a transient error, waiting longer each time in a row
 * (50 ms, 100 ms, 200 ms... up to 2 s by default), and re-throws any other error. A value from
 * the source resets the count.
 *
 * ## Example
 * ```ts
 * import { defer } from 'rxjs';
 * import { retryBackoff } from 'rxzk';
 * // Safe to repeat: a read. (Never a sequential create: a repeat after a lost reply would make a
 * // second node; recipes use protected names for that.)
 * defer(() => zk.get('/config/app'))
 *   .pipe(retryBackoff({ maxRetries: 5 }))
 *   .subscribe(console.log);
 * ```
 */
export function retryBackoff<T>(options: RetryBackoffOptions = {}): MonoTypeOperatorFunction<T> {
  const { initialDelayMs = 50, maxDelayMs = 2000, maxRetries = Number.POSITIVE_INFINITY } = options;
  const transient = options.isTransient ?? isTransient;
  const scheduler = options.scheduler ?? asyncScheduler;
  return retry({
    count: maxRetries,
    resetOnSuccess: true,
    delay: (error: unknown, retryCount: number) =>
      transient(error) ? timer(backoffDelay(retryCount, initialDelayMs, maxDelayMs), scheduler) : throwError(() => error),
  });
}
