import { Observable, type OperatorFunction } from 'rxjs';
import type { ConnectionState } from '../../model/connection-state.js';

/** The state of a participant that can hold something (a lock, a lease). */
export interface HolderState {
  readonly state: 'waiting' | 'acquired' | 'lost';
  /** Set while `acquired`: the held node's czxid, which only grows. */
  readonly fencingToken?: bigint;
}

/** What one report of a participant's effectful side means: it holds (with a token), waits, or was evicted. */
export type HolderVerdict = { readonly holds: bigint } | 'waiting' | 'evicted';

const WAITING: HolderState = Object.freeze({ state: 'waiting' });
const LOST: HolderState = Object.freeze({ state: 'lost' });

/**
 * The state machine every holding recipe shares, as an operator over a participant's reports and
 * connection states. It starts `waiting`; a report that it holds is `acquired` with its token;
 * a holder that is evicted, or whose session is not live, has `lost` what it held, while a
 * waiter in the same case is still `waiting`. Repeated states are not repeated.
 *
 * @param judge What a report of the effectful side means.
 */
export function holderStates<T extends object>(
  judge: (report: T) => HolderVerdict,
): OperatorFunction<T | ConnectionState, HolderState> {
  return (source) =>
    new Observable<HolderState>((subscriber) => {
      let last = WAITING;
      const emit = (next: HolderState) => {
        if (next.state === last.state && next.fencingToken === last.fencingToken) return;
        last = next;
        subscriber.next(next);
      };
      subscriber.next(WAITING);
      return source.subscribe({
        next(input) {
          if (typeof input === 'string') {
            if (input !== 'connected' && input !== 'reconnected') emit(last.state === 'waiting' ? WAITING : LOST);
            return;
          }
          const verdict = judge(input);
          if (verdict === 'evicted') emit(last.state === 'acquired' ? LOST : WAITING);
          else if (verdict === 'waiting') emit(WAITING);
          else emit({ state: 'acquired', fencingToken: verdict.holds });
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
