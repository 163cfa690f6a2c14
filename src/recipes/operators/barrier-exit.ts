import { map, type OperatorFunction } from 'rxjs';
import { queueOrder } from '../protected-names.js';

/** What a double-barrier member does next on its way out. */
export type BarrierExitStep =
  /** No member nodes remain: everyone has left. */
  | { readonly kind: 'left' }
  /** Only our node remains: delete it, and we have left. */
  | { readonly kind: 'last' }
  /**
   * Wait for the member node `on` to go (then decide again); first delete our own node if
   * `deleteOwn`. `members` are the ids still in, in arrival order.
   */
  | { readonly kind: 'wait'; readonly on: string; readonly deleteOwn: boolean; readonly members: readonly string[] };

/**
 * The double barrier's way out (ZooKeeper's double-barrier recipe), from the member nodes left
 * under the barrier and our own node's name:
 *
 * - none left: we have left; only ours left: delete it, and we have left;
 * - ours is the lowest: keep it and wait for the highest to go, so that the lowest leaves last;
 * - otherwise (or ours is gone already): delete ours, and wait for the lowest to go.
 *
 * So every member waits on one node, and everyone is out once the lowest goes. A member that
 * crashed is treated as gone once its session is (its node goes with it).
 */
export function barrierExitStepOf(children: readonly string[] | null, own: string | null): BarrierExitStep {
  const queue = queueOrder(children ?? []);
  if (queue.length === 0) return { kind: 'left' };
  const members = queue.map((p) => p.id);
  const index = own === null ? -1 : queue.findIndex((p) => p.name === own);
  if (queue.length === 1 && index === 0) return { kind: 'last' };
  if (index === 0) return { kind: 'wait', on: queue[queue.length - 1]!.name, deleteOwn: false, members };
  return { kind: 'wait', on: queue[0]!.name, deleteOwn: index > 0, members };
}

/**
 * {@link barrierExitStepOf} as an operator over the barrier node's child lists.
 *
 * ## Example
 * ```ts
 * import { barrierExit } from 'rxzk';
 * zk.children$('/barriers/b').pipe(barrierExit(ownName)).subscribe((step) => console.log(step.kind));
 * // Logs: wait, wait, last
 * ```
 */
export function barrierExit(own: string | null): OperatorFunction<readonly string[] | null, BarrierExitStep> {
  return map((children) => barrierExitStepOf(children, own));
}
