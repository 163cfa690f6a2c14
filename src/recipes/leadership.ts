/**
 * Leader election: subscribing is standing as a candidate, unsubscribing withdraws.
 *
 * The ZooKeeper algorithm (ZooKeeper's recipe; Curator's LeaderLatch):
 * 1. Create an ephemeral-sequential candidate node with a protected name under the election
 *    path (a lost reply is found again by its unique id, never duplicated).
 * 2. List the candidates in sequence order.
 * 3. If ours is first and its ephemeralOwner is our current session, we lead.
 * 4. Otherwise watch the candidate just ahead of us and the leader (the first); when either
 *    goes, back to 2. (The one ahead decides when we lead; the leader, whom we report.)
 * 5. Watch our own node too: if someone else deletes it we stop leading at once and stand again
 *    with a new node, at the back of the queue (handing leadership to the next candidate).
 *
 * Caveats:
 * - On `suspended` a leader emits `isLeader: false` before anything else: the server cannot
 *   expire the session sooner than the client's own clock says (2/3 of the session timeout gives
 *   `suspended`, a whole one `lost`), so no other candidate can lead before this one stepped down.
 *   After `reconnected` the candidate re-checks its node rather than trusting what it knew.
 * - After `lost` it stands again on the new session. Its old node, if the server still holds it,
 *   is deleted: it stopped leading when the old session was suspended.
 * - `leaderId` follows the leader on every candidate: when the leader goes, each candidate reads
 *   the queue again (one read each; the leader's going wakes every candidate, which is what
 *   telling each of them costs). No candidate watches more than two other nodes.
 * - `candidates` is a snapshot, as of this candidate's last check (when it joined, when the one
 *   ahead or the leader left, after a reconnect): candidates that joined behind it since are not
 *   in it. Watching the whole list would wake every candidate on every change (the herd effect).
 *   For a live view of an election, use {@link election$}.
 * - Beside Curator and kazoo: step 2 counts every candidate, whoever made it (LeaderLatch's
 *   `-latch-`, Election's `__lock__`...), and their ids are read from their nodes' data. For them
 *   to wait for this candidate, name its node their way with `scheme`.
 */
import { defer, distinctUntilChanged, map, of, switchMap, type Observable, type OperatorFunction } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { validatePath } from '../paths/validate-path.js';
import { ContenderIds } from './contender-ids.js';
import { checkScheme } from './node-naming.js';
import { positionIn, type QueuePosition } from './operators/queue-position.js';
import { participate, participation, type Participation } from './participation.js';
import { contenderOrder, type NodeScheme } from './protected-names.js';
import { checkNonEmptyString } from './recipe-arguments.js';
import { schemeParticipant } from './scheme-participant.js';

/** A candidate's view of the election. */
export interface Leadership {
  /** Whether this candidate leads now. At most one candidate at a time has `true`. */
  readonly isLeader: boolean;
  /**
   * The id of the leading candidate, `null` while unknown (e.g. suspended). Current: every
   * candidate hears when the leader goes, within a round trip.
   */
  readonly leaderId: string | null;
  /**
   * Every candidate's id, in queue order (the first leads): a snapshot as of this candidate's last
   * check (it changes when the leader or the candidate ahead leaves, not when one joins behind).
   * {@link election$} follows the whole list live.
   */
  readonly candidates: readonly string[];
}

/** Options of {@link leadership}. */
export interface LeadershipOptions {
  /** This candidate's id, shown to the others in `leaderId` and `candidates` (and written into its node). */
  id: string;
  /**
   * Whose naming the candidate's node follows: `'rxzk'` (default), `'curator'` (LeaderLatch's
   * `_c_<uuid>-latch-<seq>`) or `'kazoo'` (Election's `<uuid hex>__lock__<seq>`), so that those
   * clients' candidates wait for this one. Whatever the scheme, this candidate waits for every
   * candidate it recognises, in the server's order.
   */
  scheme?: NodeScheme;
}

/** What a candidate knows while its session is not live. */
export const NOT_LEADING: Leadership = Object.freeze({ isLeader: false, leaderId: null, candidates: Object.freeze([]) });

/**
 * Turns a queue position into the candidate's {@link Leadership}.
 *
 * @param ids The ids of candidates whose names do not carry one (Curator's and kazoo's keep it in
 *   the node's data), by node name; `''` for those missing.
 */
export function leadershipOf(position: QueuePosition, ids: ReadonlyMap<string, string> = new Map()): Leadership {
  const idOf = (p: QueuePosition['queue'][number]) => p.id ?? ids.get(p.name) ?? '';
  return {
    isLeader: position.present && position.holds,
    leaderId: position.queue[0] ? idOf(position.queue[0]) : null,
    candidates: position.queue.map(idOf),
  };
}

/**
 * The election decision as an operator over the election node's child lists: who leads, the
 * candidates in order, and whether `own` (a candidate node name) is the leader.
 *
 * ## Example
 * ```ts
 * import { electLeader } from 'rxzk';
 * zk.children$('/election/x').pipe(electLeader(ownNodeName)).subscribe((l) => console.log(l.isLeader));
 * ```
 */
export function electLeader(own: string): OperatorFunction<readonly string[] | null, Leadership> {
  return map((children) => leadershipOf(positionIn(children ?? [], own)));
}

/** Whether two views of an election are the same. */
export function sameLeadership(a: Leadership, b: Leadership): boolean {
  return (
    a.isLeader === b.isLeader &&
    a.leaderId === b.leaderId &&
    a.candidates.length === b.candidates.length &&
    a.candidates.every((c, i) => c === b.candidates[i])
  );
}

/**
 * Stands as a candidate for leadership at `path` while subscribed. Emits this candidate's view
 * of the election: `isLeader` says whether it leads now. At most one candidate has
 * `isLeader: true` at any time, including through suspensions (a suspended leader emits
 * `isLeader: false` first). Unsubscribing withdraws (the candidate node is deleted).
 *
 * ## Example
 * ```ts
 * import { connect, leadership } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * leadership(zk, '/election/scheduler', { id: 'node-1' }).subscribe(({ isLeader, leaderId }) =>
 *   console.log(isLeader ? 'leading' : `following ${leaderId}`),
 * );
 * // Logs: leading (when it is first), following node-1 (on the others)
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or id.
 */
export function leadership(zk: ZkClient, path: string, options: LeadershipOptions): Observable<Leadership> {
  validatePath(path, 'leadership');
  const id = checkNonEmptyString(options?.id, 'leadership', 'id');
  const scheme = checkScheme(options.scheme, 'leadership');
  return participate(() => candidacy(zk, path, id, scheme));
}

/**
 * One candidacy on the participation shell, for {@link leadership} and `campaign`: its views of
 * the election while `states$` is subscribed, and `withdraw()`, which deletes the candidate node
 * and resolves once it is gone.
 */
export function candidacy(zk: ZkClient, path: string, id: string, scheme: NodeScheme = 'rxzk'): Participation<Leadership> {
  // Following the head too keeps leaderId current on every candidate when a leader leaves.
  const candidate = schemeParticipant(zk, path, 'leader', {
    what: 'leadership',
    scheme,
    nameId: id,
    data: id,
    followHead: true,
  });
  const ids = new ContenderIds(zk, path);
  const views = {
    report$: (session: string) =>
      candidate.report$(session).pipe(
        switchMap((standing) =>
          standing.kind === 'placed'
            ? ids.of$(standing.position.queue).pipe(map((known) => leadershipOf(standing.position, known)))
            : of(NOT_LEADING),
        ),
      ),
    withdraw: () => candidate.withdraw(),
  };
  return participation(zk, views, { notLive: () => NOT_LEADING, states: distinctUntilChanged(sameLeadership) });
}

/** A live view of an election, for observers that do not stand (dashboards, tools). */
export interface ElectionView {
  /** The leading candidate's id, `null` when there are no candidates. */
  readonly leaderId: string | null;
  /** Every candidate's id in queue order. */
  readonly candidates: readonly string[];
}

/**
 * Follows an election without standing in it: the leader and the candidates, updated on every
 * change (it watches the whole candidate list, which is fine for a few observers).
 */
export function election$(zk: ZkClient, path: string): Observable<ElectionView> {
  validatePath(path, 'election$');
  return defer(() => {
    const ids = new ContenderIds(zk, path);
    return zk.children$(path).pipe(
      switchMap((children) => {
        const { queue } = contenderOrder(children ?? []);
        return ids.of$(queue).pipe(
          map((known) => {
            const candidates = queue.map((p) => known.get(p.name) ?? '');
            return { leaderId: candidates[0] ?? null, candidates };
          }),
        );
      }),
    );
  }).pipe(
    distinctUntilChanged(
      (a, b) => a.leaderId === b.leaderId && a.candidates.length === b.candidates.length && a.candidates.every((c, i) => c === b.candidates[i]),
    ),
  );
}
