import type { OperatorFunction } from 'rxjs';
import type { ZNode } from '../../model/stat.js';
import { decodeJson, type DataDecodeError } from '../../operators/codecs.js';
import { decodedChildren } from './decoded-children.js';

/** A member of a group, as the stream of a {@link group} reports it. */
export interface GroupMember {
  /** The member's id: its node's name. */
  readonly id: string;
  /** The data it joined with, decoded from JSON (`null` for an empty node). */
  readonly data: unknown;
  /** The member node. */
  readonly path: string;
  /** When it joined (its node's ctime, ms since the epoch). */
  readonly joinedAt: number;
}

/**
 * Decodes the member nodes of a group (keyed by child name, as `childrenData` gives them) into
 * {@link GroupMember}s sorted by id. A node whose data is not valid JSON is reported to
 * `onInvalid` (once per version of the node) and left out; the stream goes on.
 *
 * ## Example
 * ```ts
 * import { childrenData, groupMembers } from 'rxzk';
 * childrenData(zk, '/groups/workers')
 *   .pipe(groupMembers((error) => console.warn(error.message)))
 *   .subscribe((members) => console.log(members.map((m) => m.id)));
 * // Logs: [ 'w1', 'w2' ]
 * ```
 */
export function groupMembers(
  onInvalid: (error: DataDecodeError) => void,
): OperatorFunction<ReadonlyMap<string, ZNode>, GroupMember[]> {
  return decodedChildren((id, node) => {
    const data = node.data.length === 0 ? null : decodeJson<unknown>(node);
    return { id, data, path: node.path, joinedAt: node.stat.ctime };
  }, onInvalid);
}

/** Whether two member lists are the same (ids, nodes and data). */
export function sameMembers(a: readonly GroupMember[], b: readonly GroupMember[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]!;
      return x.id === y.id && x.path === y.path && x.joinedAt === y.joinedAt && JSON.stringify(x.data) === JSON.stringify(y.data);
    })
  );
}
