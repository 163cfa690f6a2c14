/** The participation of a recipe that holds something: a lock (or one side of a read/write lock), a semaphore lease. */
import type { OperatorFunction } from 'rxjs';
import type { ConnectionState } from '../model/connection-state.js';
import type { ZkClient } from '../client/zk-client.js';
import type { HolderState } from './operators/holder-states.js';
import { participation, type Participant, type Participation } from './participation.js';

/** A participation that can hold something (a lock, a lease): `waiting`, `acquired`, `lost`. */
export type Holding = Participation<HolderState>;

/**
 * A holder's participation on the shell: its reports and the connection states (a holder whose
 * session is not live has lost what it held) read by `states`, and with `timeoutMs`, a waiter that
 * has not acquired in time withdraws, then errors with `timeoutError()`.
 */
export function holding<R>(
  zk: ZkClient,
  participant: Participant<R>,
  states: OperatorFunction<R | ConnectionState, HolderState>,
  timeoutMs: number | undefined,
  timeoutError: () => Error,
): Holding {
  return participation<R | ConnectionState, HolderState>(zk, participant, {
    notLive: (state) => state,
    states,
    giveUp: { timeoutMs, reached: (s) => s.state === 'acquired', error: timeoutError },
  });
}
