/**
 * The participation shell every recipe stands on (what Curator's LockInternals is to its mutex,
 * semaphore and read/write lock, in RxJS's shape): a participant reports while its session is
 * live, and withdraws when its subscriber leaves.
 *
 * 1. Follow the connection (`whileLive`). On every live state, ask the participant what it has
 *    to report on that session, handing it the session's id: the shell sees the session change,
 *    so no participant asks the client which session is current. While the session is not live,
 *    `notLive` says what stands for a report (a lock holder has lost its lock, a candidate does
 *    not lead).
 * 2. Turn the reports into the recipe's states (`states`: `waiting`, `acquired`, `lost`...).
 * 3. With a give-up timeout, a participant that does not reach its goal in time withdraws, and
 *    only then errors (`giveUpAfter`): it is never granted what nobody is there to use.
 * 4. Subscribing is participating (`participate`, RxJS's `using()`): when the subscriber leaves,
 *    or the states error or end, the participant withdraws (its nodes are deleted), unless it
 *    reached the state that ends its participation and keeps its node for what comes next.
 */
import { EMPTY, takeWhile, tap, using, type Observable, type OperatorFunction, type Unsubscribable } from 'rxjs';
import type { ConnectionState } from '../model/connection-state.js';
import type { ZkClient } from '../client/zk-client.js';
import { currentSession } from './client-session.js';
import { giveUpAfter } from './operators/give-up-after.js';
import { whileLive } from './operators/while-live.js';

/** One participant of a recipe: its nodes on the server, and what it reports of them. */
export interface Participant<R> {
  /**
   * What the participant has to report on the live session `session` (its place in a queue, its
   * claim on a node). Run afresh on every live state: on the same session after `reconnected`,
   * carrying on from what it already has there; on a new one after `connected`.
   */
  report$(session: string): Observable<R>;
  /** Leaves: deletes the participant's nodes, and resolves once they are gone. */
  withdraw(): Promise<void>;
}

/** A participant's states while subscribed, and how to leave (for the async/await handles). */
export interface Participation<S> {
  /** The states; subscribing alone does not withdraw on teardown (see {@link participate}). */
  readonly states$: Observable<S>;
  /** Deletes the participant's nodes, and resolves once they are gone. */
  withdraw(): Promise<void>;
}

/** When a participant gives up waiting. */
export interface GiveUp<S> {
  /** How long to wait (ms); `undefined` waits for good. */
  readonly timeoutMs: number | undefined;
  /** Whether a state is the goal (acquired, entered): the deadline then stops. */
  readonly reached: (state: S) => boolean;
  /** The error to deliver once withdrawn (a `LockTimeoutError` naming the path). */
  readonly error: () => Error;
}

/** How a recipe reads its participant's reports. */
export interface ParticipationOptions<R, S> {
  /** What stands for a report while the session is not live. */
  readonly notLive: (state: ConnectionState) => R;
  /** Turns the reports into the recipe's states. */
  readonly states: OperatorFunction<R, S>;
  /** Give up after a timeout. */
  readonly giveUp?: GiveUp<S>;
}

/**
 * Steps 1-3: `participant`'s states, following the session of `zk`, and how to withdraw.
 * Nothing is sent before `states$` is subscribed.
 */
export function participation<R, S>(zk: ZkClient, participant: Participant<R>, options: ParticipationOptions<R, S>): Participation<S> {
  const withdraw = () => participant.withdraw();
  const states$ = zk.state$.pipe(
    whileLive(() => reportsOn(zk, participant), options.notLive),
    options.states,
  );
  const timeoutMs = options.giveUp?.timeoutMs;
  if (timeoutMs === undefined) return { states$, withdraw };
  const { reached, error } = options.giveUp!;
  return { withdraw, states$: states$.pipe(giveUpAfter({ timeoutMs, scheduler: zk.scheduler, reached, giveUp: withdraw, error })) };
}

/** The participant's reports on the session that is live now. */
function reportsOn<R>(zk: ZkClient, participant: Participant<R>): Observable<R> {
  // A live state always has a session: the client records its id before it says so.
  const session = currentSession(zk);
  return session === null ? EMPTY : participant.report$(session);
}

/**
 * Step 4: participates while subscribed. Each subscription opens its own participation, and
 * withdraws it when the subscriber leaves or the states end, whichever comes first.
 *
 * @param until The state that ends the participation (a member has entered the barrier): the
 *   stream completes with it, and the participant keeps its nodes.
 */
export function participate<S>(open: () => Participation<S>, until?: (state: S) => boolean): Observable<S> {
  return using(
    () => new Presence(open(), until),
    (presence) => (presence as Presence<S>).states$,
  );
}

/** One subscription's participation, withdrawn when the subscription ends. */
class Presence<S> implements Unsubscribable {
  readonly states$: Observable<S>;
  /** It reached the state that ends it: nothing to withdraw. */
  private over = false;

  constructor(
    private readonly participation: Participation<S>,
    until: ((state: S) => boolean) | undefined,
  ) {
    this.states$ =
      until === undefined
        ? participation.states$
        : participation.states$.pipe(
            tap((state) => (this.over ||= until(state))),
            takeWhile((state) => !until(state), true),
          );
  }

  unsubscribe(): void {
    if (!this.over) void this.participation.withdraw().catch(() => undefined);
  }
}
