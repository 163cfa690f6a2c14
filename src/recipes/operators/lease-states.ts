import type { OperatorFunction } from 'rxjs';
import type { ConnectionState } from '../../model/connection-state.js';
import type { Stat } from '../../model/stat.js';
import { holderStates, type HolderState } from './holder-states.js';

/** A semaphore lease's state: shaped like a lock's, `fencingToken` set while `acquired`. */
export type LeaseState = HolderState;

/** One step of a semaphore participant, as its effectful side reports them. */
export type SemaphoreStep =
  /** Queued for the semaphore's lock, or holding it and waiting for a free permit. */
  | { readonly kind: 'queued' }
  /** Holds the lease `node`, owned by the current session. */
  | { readonly kind: 'leased'; readonly node: string; readonly stat: Stat }
  /** The lease node was deleted by someone else (or is not ours): queueing again. */
  | { readonly kind: 'revoked'; readonly node: string };

/**
 * The semaphore decision as an operator over a participant's steps and connection states: a
 * lease held is `acquired` (with the lease node's czxid as fencing token); a holder whose
 * session is not live, or whose lease was revoked, has `lost` it; everyone else is `waiting`.
 * Repeated states are not repeated.
 */
export function leaseStates(): OperatorFunction<SemaphoreStep | ConnectionState, LeaseState> {
  return holderStates<SemaphoreStep>((step) => {
    if (step.kind === 'leased') return { holds: step.stat.czxid };
    return step.kind === 'revoked' ? 'evicted' : 'waiting';
  });
}
