import { map, type OperatorFunction } from 'rxjs';
import { contenderOrder, type Contender } from '../protected-names.js';

/** Where a participant stands in a queue of protected sequential nodes. */
export interface QueuePosition {
  /** Whether the participant's own node is in the queue. If not, it must join again. */
  readonly present: boolean;
  /** Whether it holds one of the first `holders` places (leads, holds the lock). */
  readonly holds: boolean;
  /** 0-based place in the queue (-1 when absent). */
  readonly index: number;
  /**
   * The one node to watch while waiting: `holders` places ahead. Watching only it (never the
   * whole list) avoids the herd effect: one departure wakes one waiter. `null` when holding or
   * absent.
   */
  readonly predecessor: string | null;
  /** Every participant, in queue order: rxzk's, Curator's, kazoo's and unknown sequential nodes alike. */
  readonly queue: readonly Contender[];
  /** Children in no known naming scheme (see `contenderOrder`), for the recipe to report. */
  readonly strangers?: readonly string[];
}

/**
 * Decides a participant's place from the children of a queue node: the rule of ZooKeeper's lock
 * and election recipes (Curator's `LockInternals.getsTheLock`). The lowest sequence numbers
 * hold; everyone else waits on the node `holders` places ahead of it.
 *
 * Every sequential child counts, whichever client made it (rxzk, Curator, kazoo, or a scheme
 * nobody knows), in the server's order: an rxzk participant never overtakes a foreign one.
 *
 * @param own The participant's own node name.
 * @param holders How many participants hold at once (1 for a lock or a leader).
 */
export function positionIn(children: readonly string[], own: string, holders = 1): QueuePosition {
  const { queue, strangers } = contenderOrder(children);
  const index = queue.findIndex((p) => p.name === own);
  if (index < 0) return { present: false, holds: false, index: -1, predecessor: null, queue, strangers };
  const holds = index < holders;
  return { present: true, holds, index, predecessor: holds ? null : queue[index - holders]!.name, queue, strangers };
}

/**
 * The rule of a node that holds for as long as it exists, sequential or not (a semaphore lease,
 * which waited for its permit before it was made): present while `own` is among `children`.
 */
export function presenceIn(children: readonly string[], own: string): QueuePosition {
  const present = children.includes(own);
  return { present, holds: present, index: children.indexOf(own), predecessor: null, queue: [], strangers: [] };
}

/**
 * A queue rule: where the participant whose node is `own` stands among `children`. The default
 * is {@link positionIn} with a number of holders; recipes with other rules (a read/write lock)
 * give their own, and keep its `predecessor` the one node whose departure may change the answer.
 */
export type PositionRule = (children: readonly string[], own: string) => QueuePosition;

/**
 * {@link positionIn} as an operator over child lists (e.g. a `children$` stream or successive
 * `getChildren` results); a missing queue node (`null`) means the participant is absent.
 *
 * ## Example
 * ```ts
 * import { queuePosition } from 'rxzk';
 * zk.children$('/locks/x').pipe(queuePosition(ownName)).subscribe((p) => console.log(p.holds));
 * ```
 */
export function queuePosition(own: string, holders = 1): OperatorFunction<readonly string[] | null, QueuePosition> {
  return map((children) => positionIn(children ?? [], own, holders));
}
