import type { Subscription } from 'rxjs';
import type { Participation } from '../recipes/participation.js';

/**
 * What {@link hold} needs: a recipe's participation (its states, without the teardown of the
 * recipe's stream, and how to leave it), and what its states mean.
 */
export interface HoldSpec<S> extends Participation<S> {
  /** Whether a state is what the caller waits for (`acquired`, leading, `registered`). */
  reached(state: S): boolean;
  /** Whether a state, once reached, says it is lost for good. */
  lost(state: S): boolean;
  /** The reason the held signal is aborted with; `cause` is the error that lost it, if one did. */
  lostError(cause?: unknown): Error;
  /** The error for states that ended (the client was closed) before anything was reached. */
  closedError(): Error;
  /** The error the promise rejects with when the caller's signal aborts the wait. */
  abortError(reason: unknown): Error;
  /** The caller's signal: aborting it while waiting withdraws, then rejects. */
  readonly signal?: AbortSignal | undefined;
  /** Every state, the reached one and those after it, until released or lost. */
  onState?(state: S): void;
}

/** What {@link hold} resolves with. */
export interface Held<S> {
  /** The state that was reached. */
  readonly reached: S;
  /** Aborted, with `lostError()`, when what was reached is lost. */
  readonly signal: AbortSignal;
  /** Leaves (idempotent): deletes the nodes, resolves once they are gone. */
  release(): Promise<void>;
  /** Whether `release()` was called, or the holding was lost and let go. */
  readonly released: boolean;
}

/**
 * Turns a recipe stream into a promise: the shared body of the async/await handles
 * (`acquireLock`, `campaign`...).
 *
 * It subscribes to `states$` and resolves once a state is `reached`. If the caller's signal aborts
 * first, or the states error or end, it withdraws and only then rejects, so nothing of the waiter
 * is left on the server when the promise settles. Once resolved, it keeps following the states:
 * one that is `lost` (or an error, or the end of the states) aborts the held signal with
 * `lostError()` and withdraws, since an `AbortSignal` cannot be un-aborted and a later
 * re-acquisition would not be the same holding.
 */
export function hold<S>(spec: HoldSpec<S>): Promise<Held<S>> {
  const { signal } = spec;
  if (signal?.aborted) return Promise.reject(spec.abortError(signal.reason));
  return new Promise<Held<S>>((resolve, reject) => {
    const lostController = new AbortController();
    let subscription: Subscription | undefined;
    let releasing: Promise<void> | null = null;
    let settled = false;

    const release = (): Promise<void> => {
      if (releasing === null) {
        subscription?.unsubscribe();
        releasing = spec.withdraw();
      }
      return releasing;
    };
    const stopListening = () => signal?.removeEventListener('abort', onAbort);
    /** Not reached: leave, then reject. */
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      stopListening();
      release().then(
        () => reject(error),
        () => reject(error),
      );
    };
    /** Reached, then lost: tell the holder, and leave. */
    const lose = (cause?: unknown) => {
      if (releasing !== null || lostController.signal.aborted) return;
      lostController.abort(spec.lostError(cause));
      void release().catch(() => undefined);
    };
    function onAbort() {
      fail(spec.abortError(signal?.reason));
    }

    signal?.addEventListener('abort', onAbort, { once: true });
    subscription = spec.states$.subscribe({
      next: (state) => {
        if (!settled) {
          if (!spec.reached(state)) return;
          settled = true;
          stopListening();
          spec.onState?.(state);
          resolve({
            reached: state,
            signal: lostController.signal,
            release,
            get released() {
              return releasing !== null;
            },
          });
          return;
        }
        if (releasing !== null) return;
        spec.onState?.(state);
        if (spec.lost(state)) lose();
      },
      error: (error: unknown) => (settled ? lose(error) : fail(error)),
      complete: () => (settled ? lose(spec.closedError()) : fail(spec.closedError())),
    });
    // The states may have ended while subscribing (a closed client): nothing to follow then.
    if (releasing !== null) subscription.unsubscribe();
  });
}
