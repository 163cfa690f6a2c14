import { Observable, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';

/** Options of {@link giveUpAfter}. */
export interface GiveUpAfterOptions<T> {
  /** How long to wait for a value that `reached` accepts, in ms. */
  timeoutMs: number;
  /** Times the deadline (the client's scheduler). */
  scheduler: SchedulerLike;
  /** Whether a value is the goal (a lock acquired, a barrier entered): the deadline then stops. */
  reached: (value: T) => boolean;
  /** Leaves cleanly (removes the participant's node); the error is delivered only after it. */
  giveUp: () => Promise<void>;
  /** The error to deliver, e.g. a `LockTimeoutError` naming the path. */
  error: () => Error;
}

/**
 * Errors with `error()` if no value that `reached` accepts comes within `timeoutMs`, but only
 * after `giveUp()` has finished: a waiter that gave up must not be granted the lock (or enter the
 * barrier) later, with nobody there to use it. Once reached, the deadline no longer applies.
 */
export function giveUpAfter<T>(options: GiveUpAfterOptions<T>): MonoTypeOperatorFunction<T> {
  const { timeoutMs, scheduler, reached, giveUp, error } = options;
  return (source) =>
    new Observable<T>((subscriber) => {
      const deadline = timer(timeoutMs, scheduler).subscribe(() => {
        inner.unsubscribe();
        giveUp().then(
          () => subscriber.error(error()),
          (giveUpError: unknown) => subscriber.error(giveUpError),
        );
      });
      const inner = source.subscribe({
        next: (value) => {
          if (reached(value)) deadline.unsubscribe();
          subscriber.next(value);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => {
        deadline.unsubscribe();
        inner.unsubscribe();
      };
    });
}
