import { map, type OperatorFunction } from 'rxjs';
import { queueOrder } from '../protected-names.js';

/** A double-barrier member's view of the way in. */
export interface BarrierEntry {
  /** Whether the member may go in: the ready node exists, or `count` members are there. */
  readonly open: boolean;
  /** Whether this member must create the ready node: enough members, and nobody has yet. */
  readonly markReady: boolean;
  /** The members' ids, in arrival order. */
  readonly members: readonly string[];
}

/**
 * The double barrier's way in (ZooKeeper's double-barrier recipe): a member enters once the
 * ready node exists, or once `count` members have nodes under the barrier, and then it creates
 * the ready node for the others. Once ready exists it decides alone: by then the first members
 * in may already be leaving (their nodes going).
 *
 * @param children The barrier node's children (`null` if it does not exist).
 * @param ready Whether the ready node exists.
 */
export function barrierEntryOf(children: readonly string[] | null, ready: boolean, count: number): BarrierEntry {
  const members = queueOrder(children ?? []).map((p) => p.id);
  const enough = members.length >= count;
  return { open: ready || enough, markReady: !ready && enough, members };
}

/**
 * {@link barrierEntryOf} as an operator over `[children, ready]` pairs.
 *
 * ## Example
 * ```ts
 * import { combineLatest, map } from 'rxjs';
 * import { barrierEntry } from 'rxzk';
 * combineLatest([zk.children$('/barriers/b'), zk.exists$('/barriers/b/ready').pipe(map(Boolean))])
 *   .pipe(barrierEntry(3))
 *   .subscribe((entry) => console.log(entry.open, entry.members));
 * // Logs: false [ 'w1' ], false [ 'w1', 'w2' ], true [ 'w1', 'w2', 'w3' ]
 * ```
 */
export function barrierEntry(count: number): OperatorFunction<readonly [readonly string[] | null, boolean], BarrierEntry> {
  return map(([children, ready]) => barrierEntryOf(children, ready, count));
}
