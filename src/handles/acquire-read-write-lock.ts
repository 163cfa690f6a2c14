import type { ZkClient } from '../client/zk-client.js';
import { validatePath } from '../paths/validate-path.js';
import type { LockKind } from '../recipes/operators/read-write-position.js';
import { readWriteParticipation } from '../recipes/read-write-lock.js';
import { checkSignal, checkTimeout } from '../recipes/recipe-arguments.js';
import type { AcquireLockOptions } from './acquire-lock.js';
import { leaseOf, type Lease } from './lease.js';

/**
 * Acquires the read lock at `path` for async/await code: resolves with a {@link Lease} once no
 * writer is ahead. The same fair lock as {@link readWriteLock}'s `read$()` (a thin handle over it):
 * readers share it, and a reader never overtakes a writer that came first. Release it when done;
 * `timeoutMs`, `signal` and loss behave as for {@link acquireLock}. Not re-entrant.
 *
 * ## Example
 * ```ts
 * import { acquireReadLock, connect } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const lease = await acquireReadLock(zk, '/locks/catalog');
 * try {
 *   console.log('reading');
 * } finally {
 *   await lease.release();
 * }
 * // Logs: reading
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options.
 */
export function acquireReadLock(zk: ZkClient, path: string, options: AcquireLockOptions = {}): Promise<Lease> {
  return acquireSide(zk, path, 'read', options);
}

/**
 * Acquires the write lock at `path` for async/await code: resolves with a {@link Lease} once every
 * earlier reader and writer has left, as {@link acquireReadLock} does for the read lock.
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options.
 */
export function acquireWriteLock(zk: ZkClient, path: string, options: AcquireLockOptions = {}): Promise<Lease> {
  return acquireSide(zk, path, 'write', options);
}

function acquireSide(zk: ZkClient, path: string, kind: LockKind, options: AcquireLockOptions): Promise<Lease> {
  const what = kind === 'read' ? 'acquireReadLock' : 'acquireWriteLock';
  validatePath(path, what);
  checkTimeout(options?.timeoutMs, what);
  const signal = checkSignal(options.signal, what);
  return leaseOf(zk, readWriteParticipation(zk, path, kind, options), path, `${what} ${path}`, signal);
}
