/** The public types of a two-phase commit (see `two-phase-commit.ts` for the algorithm). */
import type { Observable, ObservableInput } from 'rxjs';
import type { DecisionReason, Vote } from './operators/two-phase-decision.js';

/** A proposed transaction, as participants see it. */
export interface Proposal {
  /** The transaction's id: its node's name under the two-phase commit path. */
  readonly txId: string;
  /** The transaction node. */
  readonly path: string;
  /** Every participant's id. */
  readonly participants: readonly string[];
  /** What the coordinator proposed (JSON). */
  readonly payload: unknown;
  /** How long votes are waited for. */
  readonly timeoutMs: number;
  /** When it was proposed (ms since the epoch, the coordinator's clock). */
  readonly createdAt: number;
}

/** Options of {@link TwoPhaseCommit.coordinate$}. */
export interface CoordinateOptions {
  /** The participants' ids (unique, valid node names); each must vote. */
  participants: readonly string[];
  /**
   * A participant that has not voted this long counts as abort. Each party times from when it
   * started waiting (the coordinator from the proposal, a participant from its own vote), by its
   * own clock; the first decision written wins.
   */
  timeoutMs: number;
  /** What is proposed, for the participants (anything JSON can hold). Default `null`. */
  payload?: unknown;
}

/** Options of {@link TwoPhaseCommit.participate$}. */
export interface ParticipateOptions {
  /** This participant's id, as the coordinator named it. */
  id: string;
  /**
   * The vote, or a function that prepares and then gives it (emitting `'commit'` or `'abort'`). If
   * it errors, the participant votes abort and the stream errors with that error.
   */
  vote: Vote | ((proposal: Proposal) => ObservableInput<Vote>);
}

/** The coordinator's view of a transaction. */
export type CoordinatorState =
  /** Proposed; waiting for votes (emitted again as each vote comes). */
  | { readonly state: 'collecting'; readonly txId: string; readonly votes: Readonly<Record<string, Vote>> }
  /** Decided: the last state; the stream completes. */
  | {
      readonly state: 'decided';
      readonly txId: string;
      readonly votes: Readonly<Record<string, Vote>>;
      readonly decision: 'commit' | 'abort';
      readonly reason: DecisionReason;
    };

/** A participant's view of a transaction. */
export type ParticipantState =
  /** Preparing its vote. */
  | { readonly state: 'preparing'; readonly txId: string }
  /** Voted (the vote on record, which after a restart is the earlier one); waiting for the decision. */
  | { readonly state: 'voted'; readonly txId: string; readonly vote: Vote }
  /** Decided: the last state; the stream completes. `vote` is `null` if it never voted. */
  | {
      readonly state: 'decided';
      readonly txId: string;
      readonly vote: Vote | null;
      readonly decision: 'commit' | 'abort';
      readonly reason: DecisionReason;
    };

/** Two-phase commits under one path. Get one with {@link twoPhaseCommit}. */
export interface TwoPhaseCommit {
  /** The node the transactions live under. */
  readonly path: string;
  /**
   * Proposes a transaction while subscribed: emits `collecting` (with the votes so far), then
   * `decided`, and completes. Unsubscribing before the decision decides abort (`cancelled`).
   *
   * @throws InvalidArgumentError at once for bad options.
   */
  coordinate$(options: CoordinateOptions): Observable<CoordinatorState>;
  /**
   * Takes part in transaction `txId`: emits `preparing`, `voted`, then `decided`, and completes.
   * If the transaction is already decided, emits `decided` without voting. Unsubscribing before it
   * voted votes abort. Errors with NoNodeError if there is no such transaction, and with
   * {@link NotAParticipantError} if `id` is not among its participants.
   *
   * @throws InvalidArgumentError at once for a bad transaction id or options.
   */
  participate$(txId: string, options: ParticipateOptions): Observable<ParticipantState>;
  /**
   * The transactions that wait for participant `id`'s vote (undecided, not voted by it), each once,
   * in the order they were proposed: the way a participant learns of new transactions.
   *
   * @throws InvalidArgumentError at once for a bad id.
   */
  proposals$(id: string): Observable<Proposal>;
}
