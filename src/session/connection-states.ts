import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { isLive, type ConnectionState } from '../model/connection-state.js';

/** What the wire client reports, as input to {@link connectionStates}. */
export type SessionEvent =
  | { readonly type: 'connected'; readonly sessionId: string }
  /** `sessionTimeLeftMs`: how long the session may still live on the server. */
  | { readonly type: 'disconnected'; readonly sessionTimeLeftMs: number }
  | { readonly type: 'expired' }
  | { readonly type: 'auth-failed' }
  | { readonly type: 'closed' };

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
