import { Observable, type OperatorFunction } from 'rxjs';
import type { ConnectionState } from '../../client/connection-state.js';
import type { Stat } from '../../client/stat.js';
import type { LockState } from '../lock.js';

/** A semaphore lease's state: shaped like a lock's, `fencingToken` set while `acquired`. */
export type LeaseState = LockState;

/** One step of a semaphore participant, as its effectful side reports them. */
export type SemaphoreStep =
  /** Queued for the semaphore's lock, or holding it and waiting for a free permit. */
  | { readonly kind: 'queued' }
  /** Holds the lease `node`, owned by the current session. */
  | { readonly kind: 'leased'; readonly node: string; readonly stat: Stat }
  /** The lease node was deleted by someone else (or is not ours): queueing again. */
  | { readonly kind: 'revoked'; readonly node: string };

const WAITING: LeaseState = Object.freeze({ state: 'waiting' });
const LOST: LeaseState = Object.freeze({ state: 'lost' });

/**
 * The semaphore decision as an operator over a participant's steps and connection states: a
 * lease held is `acquired` (with the lease node's czxid as fencing token); a holder whose
 * session is not live, or whose lease was revoked, has `lost` it; everyone else is `waiting`.
 * Repeated states are not repeated.
 */
export function leaseStates(): OperatorFunction<SemaphoreStep | ConnectionState, LeaseState> {
  return (source) =>
    new Observable<LeaseState>((subscriber) => {
      let last: LeaseState = WAITING;
      const emit = (next: LeaseState) => {
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
          switch (input.kind) {
            case 'leased':
              emit({ state: 'acquired', fencingToken: input.stat.czxid });
              break;
            case 'revoked':
              emit(last.state === 'acquired' ? LOST : WAITING);
              break;
            case 'queued':
              emit(WAITING);
              break;
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
