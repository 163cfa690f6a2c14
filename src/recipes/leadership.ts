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
 */
import { defer, distinctUntilChanged, map, Observable, type OperatorFunction } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { validatePath } from '../paths/validate-path.js';
import { positionIn, type QueuePosition } from './operators/queue-position.js';
import { whileLive } from './operators/while-live.js';
import { queueOrder } from './protected-names.js';
import { QueueParticipant } from './queue-participant.js';

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
  /** This candidate's id, shown to the others in `leaderId` and `candidates`. */
  id: string;
}

/** What a candidate knows while its session is not live. */
export const NOT_LEADING: Leadership = Object.freeze({ isLeader: false, leaderId: null, candidates: Object.freeze([]) });

/** Turns a queue position into the candidate's {@link Leadership}. */
export function leadershipOf(position: QueuePosition): Leadership {
  return {
    isLeader: position.present && position.holds,
    leaderId: position.queue[0]?.id ?? null,
    candidates: position.queue.map((p) => p.id),
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
  const id = checkId(options?.id, 'leadership');
  return new Observable<Leadership>((subscriber) => {
    // Following the head too keeps leaderId current on every candidate when a leader leaves.
    const candidate = new QueueParticipant(zk, path, id, 1, null, true);
    const subscription = zk.state$
      .pipe(
        whileLive(
          () =>
            candidate.standings$().pipe(
              map((standing) => (standing.kind === 'placed' ? leadershipOf(standing.position) : NOT_LEADING)),
            ),
          () => NOT_LEADING,
        ),
        distinctUntilChanged(sameLeadership),
      )
      .subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      void candidate.withdraw().catch(() => undefined);
    };
  });
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
  return defer(() => zk.children$(path)).pipe(
    map((children) => {
      const queue = queueOrder(children ?? []);
      return { leaderId: queue[0]?.id ?? null, candidates: queue.map((p) => p.id) };
    }),
    distinctUntilChanged(
      (a, b) => a.leaderId === b.leaderId && a.candidates.length === b.candidates.length && a.candidates.every((c, i) => c === b.candidates[i]),
    ),
  );
}

export function checkId(id: unknown, what: string): string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidArgumentError(`${what}: id must be a non-empty string, got ${JSON.stringify(id)}`);
  }
  return id;
}
