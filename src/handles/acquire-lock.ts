import type { ZkClient } from '../client/zk-client.js';
import { validatePath } from '../paths/validate-path.js';
import { lockParticipation, type LockOptions } from '../recipes/lock.js';
import { checkSignal, checkTimeout } from '../recipes/recipe-arguments.js';
import { leaseOf, type Lease, type LeaseWaitOptions } from './lease.js';

/** Options of {@link acquireLock}. */
export interface AcquireLockOptions extends LockOptions, LeaseWaitOptions {}

/**
 * Acquires the lock at `path` for async/await code: resolves with a {@link Lease} once it is held.
 * The same fair, herd-free lock as {@link lock} (a thin handle over its stream), and the same
 * guarantees: `withLock` and `lock` on the same path exclude it, and it excludes them.
 *
 * Not re-entrant: acquiring a lock this client already holds queues behind itself and waits until
 * `timeoutMs` or the signal ends the wait. With `timeoutMs`, the promise rejects with
 * {@link LockTimeoutError} after leaving the queue; with `signal`, with {@link AbortError}.
 *
 * ## Example
 * ```ts
 * import { acquireLock, connect } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * await using lease = await acquireLock(zk, '/locks/report', { timeoutMs: 10_000 });
 * console.log('holding with token', lease.fencingToken);
 * lease.signal.throwIfAborted(); // before each step: the lock may have been lost
 * // Logs: holding with token 4294967302
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options.
 */
export function acquireLock(zk: ZkClient, path: string, options: AcquireLockOptions = {}): Promise<Lease> {
  validatePath(path, 'acquireLock');
  checkTimeout(options?.timeoutMs, 'acquireLock');
  const signal = checkSignal(options.signal, 'acquireLock');
  return leaseOf(zk, lockParticipation(zk, path, options), path, `acquireLock ${path}`, signal);
}
