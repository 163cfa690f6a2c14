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
import type { ZkClient } from '../client/zk-client.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { checkArgument, checkJson, checkNodeName, requireTimeout } from './recipe-arguments.js';
import { coordinate$ } from './two-phase-coordinator.js';
import { participate$, proposals$ } from './two-phase-participant.js';
import { TwoPhaseRecords } from './two-phase-records.js';
import type { TwoPhaseCommit } from './two-phase-types.js';

export type {
  CoordinateOptions,
  CoordinatorState,
  ParticipantState,
  ParticipateOptions,
  Proposal,
  TwoPhaseCommit,
} from './two-phase-types.js';

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
  const what = `twoPhaseCommit ${path}`;
  const records = new TwoPhaseRecords(zk, path);
  return {
    path,

    coordinate$(options) {
      const participants = checkParticipants(options?.participants, what);
      const timeoutMs = requireTimeout(options.timeoutMs, what);
      checkJson(options.payload, what, 'payload');
      return coordinate$(records, { participants, timeoutMs, payload: options.payload ?? null });
    },

    participate$(txId, options) {
      checkArgument(typeof txId === 'string' && txId !== '' && !txId.includes('/'), txId, what, 'txId', "a transaction node's name");
      validatePath(joinPath(path, txId), 'twoPhaseCommit');
      const id = checkParticipantId(options?.id, what, 'id');
      const vote = options.vote;
      checkArgument(vote === 'commit' || vote === 'abort' || typeof vote === 'function', vote, what, 'vote', "'commit', 'abort' or a function");
      return participate$(records, txId, id, vote);
    },

    proposals$(id) {
      return proposals$(records, checkParticipantId(id, what, 'id'));
    },
  };
}

/** A participant's id: the name of its vote node. */
function checkParticipantId(id: unknown, what: string, name: string): string {
  checkNodeName(id, what, name);
  validatePath(`/${id as string}`, `${what}: ${name}`);
  return id as string;
}

function checkParticipants(participants: unknown, what: string): string[] {
  if (!Array.isArray(participants) || participants.length === 0) {
    throw new InvalidArgumentError(`${what}: participants must be a non-empty array of ids`);
  }
  const ids = participants.map((p) => checkParticipantId(p, what, 'each participant'));
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new InvalidArgumentError(`${what}: participant "${twice}" is named twice`);
  return ids;
}
