import {
  distinctUntilChanged,
  of,
  switchMap,
  takeWhile,
  throwError,
  type Observable,
  type OperatorFunction,
} from 'rxjs';
import { isLive, type ConnectionState } from '../../model/connection-state.js';
import { AuthFailedError } from '../../errors/zk-error.js';

/**
 * Runs `whenLive` while the session is live and emits `whenNot(state)` as soon as it is not.
 *
 * Every state change starts over: a `suspended` cancels whatever `whenLive` was doing (a check
 * that began before the suspension can never report after it), and `reconnected` starts it
 * afresh, so a recipe re-checks rather than trusting what it knew before. This is where a leader
 * steps down and a lock holder lets go before anyone else can take over.
 *
 * `closed` completes the stream; `auth-failed` errors it with {@link AuthFailedError}.
 *
 * @param whenLive What to run on a live session; called with `'connected'` (a new session) or
 *   `'reconnected'` (the same one back).
 * @param whenNot What to emit while there is no live session.
 */
export function whileLive<T>(
  whenLive: (state: 'connected' | 'reconnected') => Observable<T>,
  whenNot: (state: ConnectionState) => T,
): OperatorFunction<ConnectionState, T> {
  return (states) =>
    states.pipe(
      // A live state must restart even when repeated (a newer session), so only repeated
      // non-live states are folded.
      distinctUntilChanged((a, b) => a === b && !isLive(a)),
      switchMap((state): Observable<T | typeof CLOSED> => {
        if (state === 'connected' || state === 'reconnected') return whenLive(state);
        // Switching to this also stops the check in progress; the stream then completes at once.
        if (state === 'closed') return of(CLOSED);
        if (state === 'auth-failed') {
          return throwError(() => new AuthFailedError("the server rejected the client's credentials", { code: -115 }));
        }
        return of(whenNot(state));
      }),
      takeWhile((value): value is T => value !== CLOSED),
    );
}

const CLOSED: unique symbol = Symbol('closed');
