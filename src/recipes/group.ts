/**
 * Group membership (Curator's GroupMember, kazoo's Party): subscribing joins the group,
 * unsubscribing leaves it, and the stream is the live list of members with their data.
 *
 * The ZooKeeper algorithm:
 * 1. Join: create the ephemeral node `<path>/<id>` holding the member's data as JSON.
 * 2. If it exists and is owned by our session, it is ours (a create re-sent after a lost reply).
 *    If another session owns it, it is a stale node of an earlier incarnation (or a duplicate id):
 *    wait until it is gone, or with `onStale: 'replace'` replace it in one transaction (as
 *    `register` does).
 * 3. Watch our node; if someone else deletes it, join again. On every new session, join again.
 * 4. Members: watch the group's children and each member's data; emit them sorted by id.
 *
 * Caveats:
 * - A member that crashes stays listed until the server expires its session (up to a session
 *   timeout). A stale node of our own earlier incarnation is listed under our id until it goes.
 * - While the connection is suspended the list holds its last value: it may be out of date, and
 *   our own node may be about to go with our session.
 * - A member node that is not valid JSON is reported (a process warning by default, or
 *   `onInvalid`) and left out.
 */
import { distinctUntilChanged, ignoreElements, merge, type Observable } from 'rxjs';
import { OPEN_ACL_UNSAFE } from '../model/acl.js';
import { checkRequestSize, createBodyBytes } from '../client/request-size.js';
import { clientOptions } from '../client/internal.js';
import type { ZkClient } from '../client/zk-client.js';
import type { DataDecodeError } from '../operators/codecs.js';
import { joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { childrenData } from '../client/children-data.js';
import { EphemeralRegistration } from './ephemeral-registration.js';
import { groupMembers, sameMembers, type GroupMember } from './operators/group-members.js';
import { participate, participation } from './participation.js';
import { checkJson, checkNodeName, checkOneOf } from './recipe-arguments.js';

/** Options of {@link members$}. */
export interface MembersOptions {
  /**
   * Told about each member node that cannot be decoded (once per version). Default: a process
   * warning (`process.emitWarning`).
   */
  onInvalid?: (error: DataDecodeError) => void;
}

/** Options of {@link group}. */
export interface GroupOptions extends MembersOptions {
  /** This member's id, unique in the group: its node is `<path>/<id>`. */
  id: string;
  /** What the others see of this member; anything JSON can hold. Default `null`. */
  data?: unknown;
  /**
   * What to do with a node at our path owned by another session (a stale node of an earlier
   * incarnation): `'wait'` (default) until the server removes it, or `'replace'` it at once.
   */
  onStale?: 'wait' | 'replace';
}

/**
 * Joins the group at `path` while subscribed, and emits its members (sorted by id, data decoded)
 * on every change: members joining, leaving, or changing their data. Re-joins on every new
 * session. Unsubscribing leaves (the member node is deleted).
 *
 * ## Example
 * ```ts
 * import { connect, group } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * group(zk, '/groups/workers', { id: 'w1', data: { slots: 4 } }).subscribe((members) =>
 *   console.log(members.map((m) => m.id)),
 * );
 * // Logs: [ 'w1' ], then [ 'w1', 'w2' ] when w2 joins
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError, DataTooLargeError at once for a bad path, id or
 *   data.
 */
export function group(zk: ZkClient, path: string, options: GroupOptions): Observable<GroupMember[]> {
  validatePath(path, 'group');
  const id = checkNodeName(options?.id, `group ${path}`, 'id');
  const memberPath = validatePath(joinPath(path, id), 'group');
  const data = Buffer.from(checkJson(options.data, `group ${path}`, 'data'));
  checkRequestSize('group', memberPath, createBodyBytes(memberPath, data, OPEN_ACL_UNSAFE), clientOptions(zk).maxRequestBytes);
  const onStale = checkOneOf(options.onStale ?? 'wait', ['wait', 'replace'], `group ${path}`, 'onStale');
  const view$ = members$(zk, path, options);
  return participate(() => {
    // Joining reports nothing of its own: the members are the view, ours among them.
    const membership = new EphemeralRegistration(zk, memberPath, () => data, onStale, 'group');
    const joining = participation(zk, membership, { notLive: () => null, states: ignoreElements() });
    return { states$: merge(joining.states$, view$), withdraw: joining.withdraw };
  });
}

/**
 * The members of the group at `path`, without joining it (for dashboards and tools): sorted by id,
 * data decoded, updated on every change.
 *
 * @throws InvalidPathError at once for a bad path.
 */
export function members$(zk: ZkClient, path: string, options: MembersOptions = {}): Observable<GroupMember[]> {
  validatePath(path, 'members$');
  const onInvalid =
    options.onInvalid ?? ((error: DataDecodeError) => process.emitWarning(`group: skipped ${error.message}`, 'RxzkWarning'));
  return childrenData(zk, path).pipe(groupMembers(onInvalid), distinctUntilChanged<GroupMember[]>(sameMembers));
}
