import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * The connection's state, as `zk.state$` reports it.
 *
 * - `connecting`: no session yet (only before the first one).
 * - `connected`: a new session is established (the first, or a new one after `lost`).
 * - `suspended`: the connection dropped or went silent; the session may still be alive. Leaders
 *   and lock holders must stop acting.
 * - `reconnected`: the same session is back.
 * - `lost`: the session expired, or is presumed lost because the ensemble was out of reach for a
 *   whole session timeout. The client builds a new session by itself (next: `connected`).
 * - `auth-failed`: the server rejected the client's credentials; the client cannot go on.
 * - `closed`: after `close()`; terminal.
 */
export type ConnectionState =
  | 'connecting'
  | 'connected'
  | 'suspended'
  | 'reconnected'
  | 'lost'
  | 'auth-failed'
  | 'closed';

/** What the wire client reports, as input to {@link connectionStates}. */
export type SessionEvent =
  | { readonly type: 'connected'; readonly sessionId: string }
  /** `sessionTimeLeftMs`: how long the session may still live on the server. */
  | { readonly type: 'disconnected'; readonly sessionTimeLeftMs: number }
  | { readonly type: 'expired' }
  | { readonly type: 'auth-failed' }
  | { readonly type: 'closed' };

/** Whether the client has a usable session in this state. */
export function isLive(state: ConnectionState): boolean {
  return state === 'connected' || state === 'reconnected';
}

/**
 * The connection state machine: turns the wire client's events into {@link ConnectionState}s.
 *
 * It starts in `connecting`, emits only changes, and owns the session clock: once disconnected
 * from a live session it emits `suspended`, and if no reconnect comes within the time the session
 * may still live on the server, `lost` (as Curator does; the server cannot expire the session
 * earlier than that). A reconnect to the same session gives `reconnected`, a new session
 * `connected`. `expired` from the server means `lost` at once. `closed` completes the stream.
 *
 * @param scheduler Times the session clock; inject a virtual one in tests.
 */
export function connectionStates(scheduler: SchedulerLike = asyncScheduler): OperatorFunction<SessionEvent, ConnectionState> {
  return (events) =>
    new Observable<ConnectionState>((subscriber) => {
      let state: ConnectionState = 'connecting';
      let sessionId: string | null = null;
      let clock: Subscription | null = null;

      const become = (next: ConnectionState) => {
        if (next === state) return;
        state = next;
        subscriber.next(next);
      };
      const stopClock = () => {
        clock?.unsubscribe();
        clock = null;
      };
      const lose = () => {
        stopClock();
        sessionId = null;
        become('lost');
      };

      subscriber.next(state);
      const subscription = events.subscribe({
        next: (event) => {
          if (state === 'closed') return;
          if (state === 'auth-failed' && event.type !== 'closed') return;
          switch (event.type) {
            case 'connected':
              stopClock();
              if (event.sessionId === sessionId) {
                if (state === 'suspended') become('reconnected');
              } else {
                // A different session: whatever we had is gone.
                if (sessionId !== null) lose();
                sessionId = event.sessionId;
                become('connected');
              }
              break;
            case 'disconnected':
              if (isLive(state)) {
                become('suspended');
                clock = scheduler.schedule(lose, Math.max(0, event.sessionTimeLeftMs));
              }
              break;
            case 'expired':
              if (sessionId !== null) lose();
              break;
            case 'auth-failed':
              stopClock();
              become('auth-failed');
              break;
            case 'closed':
              stopClock();
              become('closed');
              subscriber.complete();
              break;
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => {
        stopClock();
        subscription.unsubscribe();
      };
    });
}
