import { defer, Observable, type Subscription } from 'rxjs';
import type { Holding } from './holding.js';
import { workResult, type WorkResult } from './work-result.js';

/** The errors {@link runWhileHeld} raises, naming the recipe and path. */
export interface HoldingErrors {
  /** The holding was lost while the work ran (e.g. a `LockLostError`). */
  lost: () => Error;
  /** The states ended, which they do only when the client is closed. */
  closed: () => Error;
}

/**
 * The shared body of `withLock`, `withReadLock` and `withWriteLock`: waits for `acquired`, runs
 * `work`, and completes only after the node is deleted, so that a following acquisition never
 * races the release. If the holding is lost while the work runs, the work is stopped and the
 * stream errors with `errors.lost()`; if the client is closed, with `errors.closed()`. The node is
 * always deleted, whatever happens.
 *
 * @param holding Makes one holding per subscription.
 */
export function runWhileHeld<T>(holding: () => Holding, work: () => WorkResult<T>, errors: HoldingErrors): Observable<T> {
  return new Observable<T>((subscriber) => {
    const { states$, withdraw } = holding();
    let working: { unsubscribe(): void } | null = null;
    let finished = false;
    /** Set once `subscribe` returns: the states may end before that (a closed client). */
    let held: Subscription | undefined;

    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      working?.unsubscribe();
      held?.unsubscribe();
      withdraw().then(
        () => (error === undefined ? subscriber.complete() : subscriber.error(error)),
        (releaseError: unknown) => subscriber.error(error ?? releaseError),
      );
    };

    held = states$.subscribe({
      next: (s) => {
        if (finished) return;
        if (s.state === 'acquired' && working === null) {
          working = defer(() => workResult(work())).subscribe({
            next: (value) => subscriber.next(value),
            error: (error: unknown) => finish(error),
            complete: () => finish(),
          });
        } else if (s.state === 'lost' && working !== null) {
          finish(errors.lost());
        }
      },
      error: (error: unknown) => finish(error),
      // The states end only when the client is closed.
      complete: () => finish(errors.closed()),
    });

    if (finished) held.unsubscribe();

    return () => {
      working?.unsubscribe();
      held?.unsubscribe();
      if (!finished) void withdraw().catch(() => undefined);
    };
  });
}
