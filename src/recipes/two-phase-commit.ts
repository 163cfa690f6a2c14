/**
 * Two-phase commit (ZooKeeper's recipe): a coordinator proposes a transaction to named
 * participants, each votes, and everyone learns one decision.
 *
 * The ZooKeeper algorithm:
 * 1. The coordinator creates the transaction node `<path>/<txId>` (persistent-sequential, with a
 *    protected name, holding `{ participants, payload, timeoutMs, createdAt }`) and its `votes`
 *    child.
 * 2. Each participant reads the transaction, prepares, and votes by creating
 *    `<txId>/votes/<id>` holding `commit` or `abort`. A vote is never changed: a participant that
 *    restarts finds its vote there.
 * 3. The coordinator watches the votes: any abort decides abort at once, every participant's
 *    commit decides commit, and a participant that has not voted within `timeoutMs` (crashed,
 *    partitioned, slow) counts as abort.
 * 4. The decision is the node `<txId>/decision` (`{ decision, reason, by }`), made with a create:
 *    whoever creates it first decides, and everyone, the coordinator included, adopts what it
 *    holds.
 * 5. Participants watch the decision node. Having voted, they also apply the rule of 3 themselves
 *    (with their own timeout), so a transaction whose coordinator died is still decided.
 *
 * Caveats:
 * - The usual limit of two-phase commit: a participant that voted commit must hold its resources
 *   until it learns the decision; it cannot decide alone.
 * - Timeouts are measured by each party's clock from when it started waiting; the first decision
 *   written wins, so differing clocks only change who decides, never what everyone sees.
 * - Everything is in persistent nodes: a suspended connection or a lost session delays the
 *   parties but loses nothing. Transactions stay after they are decided, as a record: delete
 *   `<path>/<txId>` (recursively) when no longer needed.
 */
import {
  catchError,
  concat,
  concatMap,
  defaultIfEmpty,
  defer,
  EMPTY,
  filter,
  from,
  ignoreElements,
  map,
  merge,
  Observable,
  of,
  race,
  share,
  switchMap,
  take,
  takeWhile,
  tap,
  type ObservableInput,
} from 'rxjs';
import type { ZNode } from '../client/stat.js';
import type { ZkClient } from '../client/zk-client.js';
import { NotAParticipantError } from '../errors/recipe-errors.js';
import { InvalidArgumentError, isInDoubt, NodeExistsError, NoNodeError } from '../errors/zk-error.js';
import { DataDecodeError, decodeJson } from '../operators/codecs.js';
import { retryBackoff } from '../operators/retry-backoff.js';
import { baseName, joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { childrenData } from '../streams/children-data.js';
import {
  decodeVotes,
  twoPhaseDecision,
  type DecisionReason,
  type TwoPhaseOutcome,
  type Vote,
} from './operators/two-phase-decision.js';
import { liveSession } from './client-session.js';
import { createProtected } from './protected-create.js';
import { queueOrder } from './protected-names.js';

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

/**
 * Two-phase commit under `path`: a coordinator's and participants' streams.
 *
 * ## Example
 * ```ts
 * import { connect, twoPhaseCommit } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const tpc = twoPhaseCommit(zk, '/transactions');
 *
 * // In each participant:
 * tpc.proposals$('db').pipe(
 *   mergeMap((p) => tpc.participate$(p.txId, { id: 'db', vote: (p) => prepare(p.payload) })),
 * ).subscribe((s) => s.state === 'decided' && (s.decision === 'commit' ? commit() : rollBack()));
 *
 * // In the coordinator:
 * tpc.coordinate$({ participants: ['db', 'mail'], timeoutMs: 10_000, payload: { order: 42 } })
 *   .subscribe((s) => console.log(s.state, s.state === 'decided' ? s.decision : s.votes));
 * // Logs: collecting {}, collecting { db: 'commit' }, ..., decided commit
 * ```
 *
 * @throws InvalidPathError at once for a bad path.
 */
export function twoPhaseCommit(zk: ZkClient, path: string): TwoPhaseCommit {
  validatePath(path, 'twoPhaseCommit');
  const retry = <T>() =>
    retryBackoff<T>({
      scheduler: zk.scheduler,
      maxRetries: 20,
      isTransient: isInDoubt,
    });
  const nodes = (txId: string) => {
    const tx = joinPath(path, txId);
    return { tx, votes: joinPath(tx, 'votes'), decision: joinPath(tx, 'decision') };
  };

  /** Creates the decision node, or reads the one that was there first; resolves with what it holds. */
  const writeDecision = async (txId: string, outcome: TwoPhaseOutcome, by: string): Promise<TwoPhaseOutcome> => {
    const { decision } = nodes(txId);
    try {
      await zk.create(decision, JSON.stringify({ ...outcome, by }));
      return outcome;
    } catch (error) {
      if (!(error instanceof NodeExistsError)) throw error;
    }
    return decodeDecision(await zk.get(decision));
  };
  const decision$ = (txId: string): Observable<TwoPhaseOutcome> =>
    zk.data$(nodes(txId).decision).pipe(
      filter((node): node is ZNode => node !== null),
      map(decodeDecision),
      take(1),
    );
  const votes$ = (txId: string): Observable<ReadonlyMap<string, Vote>> => childrenData(zk, nodes(txId).votes).pipe(map(decodeVotes));

  /** Casts a vote, or reads the one on record; resolves with the vote on record. */
  const castVote = async (txId: string, id: string, vote: Vote): Promise<Vote> => {
    const at = joinPath(nodes(txId).votes, id);
    try {
      await zk.create(at, vote);
      return vote;
    } catch (error) {
      if (!(error instanceof NodeExistsError)) throw error;
    }
    return decodeVotes(new Map([[id, await zk.get(at)]])).get(id)!;
  };

  return {
    path,

    coordinate$(options) {
      const participants = checkParticipants(path, options?.participants);
      const timeoutMs = checkTimeout(path, options.timeoutMs);
      const payload = checkPayload(path, options.payload);
      return new Observable<CoordinatorState>((subscriber) => {
        let decided = false;
        const proposing = (async () => {
          const session = await liveSession(zk, `create under ${path}`, path);
          const data = JSON.stringify({ participants, payload, timeoutMs, createdAt: Date.now() });
          // Never re-proposed on failure: a second transaction node would be a second transaction.
          const txId = baseName(await createProtected(zk, session, path, 'tx', data, 'persistent-sequential'));
          await zk.create(nodes(txId).votes).catch((error: unknown) => {
            if (!(error instanceof NodeExistsError)) throw error;
          });
          return txId;
        })();
        proposing.catch(() => undefined);

        const subscription = from(proposing)
          .pipe(
            switchMap((txId) => {
              let votes: Readonly<Record<string, Vote>> = {};
              // One subscription to the votes, so that `collecting` is always current when the
              // decision is made from them.
              const current$ = votes$(txId).pipe(share());
              const ours$ = current$.pipe(
                twoPhaseDecision(participants, timeoutMs, zk.scheduler),
                take(1),
                switchMap((outcome) => defer(() => writeDecision(txId, outcome, 'coordinator')).pipe(retry())),
              );
              return merge(
                current$.pipe(
                  map((current): CoordinatorState => {
                    votes = Object.fromEntries(current);
                    return { state: 'collecting', txId, votes };
                  }),
                ),
                // Whoever decided first, the decision node is what counts.
                race(decision$(txId), ours$).pipe(
                  take(1),
                  map((outcome): CoordinatorState => {
                    decided = true;
                    return { state: 'decided', txId, votes, ...outcome };
                  }),
                ),
              ).pipe(takeWhile((state) => state.state !== 'decided', true));
            }),
          )
          .subscribe(subscriber);

        return () => {
          subscription.unsubscribe();
          if (decided) return;
          void proposing
            .then((txId) => writeDecision(txId, { decision: 'abort', reason: 'cancelled' }, 'coordinator'))
            .catch(() => undefined);
        };
      });
    },

    participate$(txId, options) {
      checkTxId(path, txId);
      const id = checkId(path, options?.id, 'id');
      const vote = options.vote;
      if (vote !== 'commit' && vote !== 'abort' && typeof vote !== 'function') {
        throw new InvalidArgumentError(`twoPhaseCommit ${path}: vote must be 'commit', 'abort' or a function, got ${JSON.stringify(vote)}`);
      }
      const at = nodes(txId);
      return new Observable<ParticipantState>((subscriber) => {
        let voted: Vote | null = null;
        let decided = false;
        let named = false;
        /** The work's error, reported once the abort vote it caused is cast. */
        let failure: { error: unknown } | null = null;

        const prepare$ = (proposal: Proposal): Observable<Vote> =>
          typeof vote === 'function'
            ? defer(() => vote(proposal)).pipe(
                take(1),
                map((v): Vote => (v === 'commit' ? 'commit' : 'abort')),
                catchError((error: unknown) => {
                  failure = { error };
                  return of<Vote>('abort');
                }),
              )
            : of(vote);

        const flow$ = defer(() => Promise.all([zk.get(at.tx), zk.exists(at.decision)])).pipe(
          retry(),
          switchMap(([node, decidedAlready]) => {
            const proposal = decodeProposal(node, txId);
            if (!proposal.participants.includes(id)) {
              throw new NotAParticipantError(`twoPhaseCommit ${at.tx}: "${id}" is not a participant (${proposal.participants.join(', ')})`, {
                path: at.tx,
              });
            }
            named = true;
            const onRecord$ = defer(() => zk.get(joinPath(at.votes, id))).pipe(
              map((node) => decodeVotes(new Map([[id, node]])).get(id)!),
              catchError((error: unknown) => (error instanceof NoNodeError ? EMPTY : Promise.reject(error))),
              retry(),
            );
            // The vote on record (a restart), or prepare and cast one.
            const vote$ = concat(
              onRecord$,
              defer(() => prepare$(proposal)).pipe(concatMap((v) => defer(() => castVote(txId, id, v)).pipe(retry()))),
            ).pipe(
              take(1),
              concatMap((v) => {
                voted = v;
                if (failure) throw failure.error;
                return of<ParticipantState>({ state: 'voted', txId, vote: v });
              }),
            );
            // Having voted, help decide: the coordinator may be gone.
            const helpDecide$ = votes$(txId).pipe(
              twoPhaseDecision(proposal.participants, proposal.timeoutMs, zk.scheduler),
              take(1),
              concatMap((outcome) => defer(() => writeDecision(txId, outcome, id)).pipe(retry())),
              ignoreElements(),
            );
            // Decided already (it timed out, or this is a restart): nothing to vote on.
            const steps$ = decidedAlready ? EMPTY : concat(of<ParticipantState>({ state: 'preparing', txId }), vote$, helpDecide$);
            return merge(
              steps$,
              decision$(txId).pipe(
                // Decided before we knew our vote (a restart after the decision): look it up.
                concatMap((outcome) =>
                  voted !== null
                    ? of(outcome)
                    : onRecord$.pipe(
                        tap((v) => (voted = v)),
                        map(() => outcome),
                        defaultIfEmpty(outcome),
                      ),
                ),
                map((outcome): ParticipantState => {
                  decided = true;
                  return { state: 'decided', txId, vote: voted, ...outcome };
                }),
              ),
            ).pipe(takeWhile((state) => state.state !== 'decided', true));
          }),
        );
        const subscription = flow$.subscribe(subscriber);
        return () => {
          subscription.unsubscribe();
          // Leaving before voting is a no: say so now rather than make everyone wait for the timeout.
          if (named && !decided && voted === null) void castVote(txId, id, 'abort').catch(() => undefined);
        };
      });
    },

    proposals$(id) {
      checkId(path, id, 'id');
      return defer(() => {
        const seen = new Set<string>();
        return zk.children$(path).pipe(
          concatMap((children) => {
            const fresh = queueOrder(children ?? [])
              .map((p) => p.name)
              .filter((name) => !seen.has(name));
            for (const name of fresh) seen.add(name);
            return from(fresh);
          }),
          concatMap((txId) => defer(() => waitingFor(txId, id)).pipe(retry())),
          filter((proposal): proposal is Proposal => proposal !== null),
        );
      });
    },
  };

  /** The transaction, if it is undecided and waits for `id`'s vote. */
  async function waitingFor(txId: string, id: string): Promise<Proposal | null> {
    const at = nodes(txId);
    let proposal: Proposal;
    try {
      proposal = decodeProposal(await zk.get(at.tx), txId);
    } catch (error) {
      // Gone, or not a transaction of ours: not a proposal.
      if (error instanceof NoNodeError || error instanceof DataDecodeError) return null;
      throw error;
    }
    if (!proposal.participants.includes(id)) return null;
    const [decision, vote] = await Promise.all([zk.exists(at.decision), zk.exists(joinPath(at.votes, id))]);
    return decision === null && vote === null ? proposal : null;
  }
}

function decodeProposal(node: ZNode, txId: string): Proposal {
  const data = decodeJson<Record<string, unknown> | null>(node);
  const { participants, payload, timeoutMs, createdAt } = data ?? {};
  if (
    !Array.isArray(participants) ||
    !participants.every((p) => typeof p === 'string') ||
    typeof timeoutMs !== 'number' ||
    typeof createdAt !== 'number'
  ) {
    throw new DataDecodeError(`${node.path}: not a two-phase commit transaction`, { path: node.path });
  }
  return { txId, path: node.path, participants: participants as string[], payload: payload ?? null, timeoutMs, createdAt };
}

function decodeDecision(node: ZNode): TwoPhaseOutcome {
  let data: { decision?: unknown; reason?: unknown } | null = null;
  try {
    data = decodeJson<{ decision?: unknown; reason?: unknown } | null>(node);
  } catch {
    data = null;
  }
  // Anything but a clear commit is an abort: the safe reading of a damaged decision.
  const decision = data?.decision === 'commit' ? 'commit' : 'abort';
  const reasons: readonly DecisionReason[] = ['unanimous', 'vote-abort', 'timeout', 'cancelled'];
  const reason = reasons.includes(data?.reason as DecisionReason) ? (data!.reason as DecisionReason) : 'vote-abort';
  return { decision, reason };
}

function checkId(path: string, id: unknown, what: string): string {
  if (typeof id !== 'string' || id === '' || id.includes('/')) {
    throw new InvalidArgumentError(`twoPhaseCommit ${path}: ${what} must be a non-empty string without "/", got ${JSON.stringify(id)}`);
  }
  validatePath(`/${id}`, `twoPhaseCommit ${path}: ${what}`);
  return id;
}

function checkTxId(path: string, txId: unknown): void {
  if (typeof txId !== 'string' || txId === '' || txId.includes('/')) {
    throw new InvalidArgumentError(`twoPhaseCommit ${path}: txId must be a transaction node's name, got ${JSON.stringify(txId)}`);
  }
  validatePath(joinPath(path, txId), 'twoPhaseCommit');
}

function checkParticipants(path: string, participants: unknown): string[] {
  if (!Array.isArray(participants) || participants.length === 0) {
    throw new InvalidArgumentError(`twoPhaseCommit ${path}: participants must be a non-empty array of ids`);
  }
  const ids = participants.map((p) => checkId(path, p, 'each participant'));
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new InvalidArgumentError(`twoPhaseCommit ${path}: participant "${twice}" is named twice`);
  return ids;
}

function checkTimeout(path: string, timeoutMs: unknown): number {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new InvalidArgumentError(`twoPhaseCommit ${path}: timeoutMs must be a number of milliseconds >= 0, got ${String(timeoutMs)}`);
  }
  return timeoutMs;
}

function checkPayload(path: string, payload: unknown): unknown {
  try {
    if (JSON.stringify(payload ?? null) === undefined) throw new TypeError(typeof payload);
  } catch (error) {
    throw new InvalidArgumentError(`twoPhaseCommit ${path}: payload must be JSON-serializable`, { cause: error });
  }
  return payload ?? null;
}
