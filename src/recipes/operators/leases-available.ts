import { distinctUntilChanged, map, type OperatorFunction } from 'rxjs';

/**
 * Whether a semaphore has a free permit: fewer than `permits` leases among the children of its
 * leases node (a missing node has none). Every child is a lease, whoever made it, as Curator's
 * InterProcessSemaphoreV2 and kazoo's Semaphore count them.
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
      map((names) => (names ?? []).length < permits),
      distinctUntilChanged(),
    );
}
