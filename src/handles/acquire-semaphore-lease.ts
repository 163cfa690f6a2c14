import type { ZkClient } from '../client/zk-client.js';
import { validatePath } from '../paths/validate-path.js';
import { checkCount, checkSignal, checkTimeout } from '../recipes/recipe-arguments.js';
import { checkSchemeOptions } from '../recipes/scheme-participant.js';
import { semaphoreParticipation, type SemaphoreOptions } from '../recipes/semaphore.js';
import { leaseOf, type Lease, type LeaseWaitOptions } from './lease.js';

/** Options of {@link acquireSemaphoreLease}. */
export interface AcquireSemaphoreLeaseOptions extends SemaphoreOptions, LeaseWaitOptions {}

/**
 * Acquires one of the `permits` leases of the semaphore at `path` for async/await code: resolves
 * with a {@link Lease} once it is held (its fencing token is the lease node's czxid). The same
 * fair semaphore as {@link semaphore} (a thin handle over its stream). Release it when done; with
 * `timeoutMs` the promise rejects with {@link SemaphoreTimeoutError} after leaving the queue, with
 * `signal` with {@link AbortError}, and a lease that is lost aborts its `signal`.
 *
 * ## Example
 * ```ts
 * import { acquireSemaphoreLease, connect } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * await using lease = await acquireSemaphoreLease(zk, '/semaphores/db', { permits: 3 });
 * console.log('one of at most 3');
 * // Logs: one of at most 3
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options.
 */
export function acquireSemaphoreLease(zk: ZkClient, path: string, options: AcquireSemaphoreLeaseOptions): Promise<Lease> {
  validatePath(path, 'acquireSemaphoreLease');
  const permits = checkCount(options?.permits, `acquireSemaphoreLease ${path}`, 'permits');
  checkTimeout(options.timeoutMs, `acquireSemaphoreLease ${path}`);
  const signal = checkSignal(options.signal, 'acquireSemaphoreLease');
  checkSchemeOptions(options, `acquireSemaphoreLease ${path}`);
  const holding = semaphoreParticipation(zk, path, permits, options);
  return leaseOf(zk, holding, path, `acquireSemaphoreLease ${path}`, signal);
}
