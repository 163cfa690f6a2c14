import { distinctUntilChanged, map, type OperatorFunction } from 'rxjs';
import { queueOrder } from '../protected-names.js';

/**
 * Whether a semaphore has a free permit: fewer than `permits` leases among the children of its
 * leases node (a missing node has none). Only protected lease nodes count.
 *
 * ## Example
 * ```ts
 * import { leasesAvailable } from 'rxzk';
 * zk.children$('/semaphores/db/leases').pipe(leasesAvailable(3)).subscribe((free) => console.log(free));
 * // Logs: true, false (a third lease was taken), true (one was released)
 * ```
 */
export function leasesAvailable(permits: number): OperatorFunction<readonly string[] | null, boolean> {
  return (children) =>
    children.pipe(
      map((names) => queueOrder(names ?? []).length < permits),
      distinctUntilChanged(),
    );
}
