import { AbortError, LockLostError } from '../errors/recipe-errors.js';
import type { ZkClient } from '../client/zk-client.js';
import { ClientClosedError } from '../errors/zk-error.js';
import { isClosing } from '../recipes/client-session.js';
import type { Holding } from '../recipes/holding.js';
import type { LockState } from '../recipes/lock.js';
import { hold } from './hold.js';

/**
 * A lock (or read lock, write lock, semaphore lease) held by async/await code: what
 * `acquireLock` and its siblings resolve with.
 *
 * Release it when done, with `release()` or `await using`. It is held until then, or until it is
 * lost: a holder whose connection is suspended or whose session is lost, or whose node someone
 * deleted, must stop at once, so `signal` aborts (reason: {@link LockLostError}) and the node is
 * deleted. Loss is final for a lease; acquire again to hold the lock again.
 */
export interface Lease {
  /** The lock's (or semaphore's) path. */
  readonly path: string;
  /**
   * The held node's czxid: it only grows, so a resource can refuse a holder that lost the lock
   * without knowing (a long pause). Pass it along with every write the lock protects.
   */
  readonly fencingToken: bigint;
  /**
   * Aborted, with a {@link LockLostError} as its `reason`, when the lease is lost. Hand it to the
   * work the lease protects (`fetch(url, { signal })`, `signal.throwIfAborted()`).
   */
  readonly signal: AbortSignal;
  /** Whether it was released (or lost, and so let go). */
  readonly released: boolean;
  /**
   * Releases the lease: deletes the node and resolves once it is gone, so that the next holder
   * never overlaps this one. Calling it again (or after a loss) resolves the same way.
   */
  release(): Promise<void>;
  /** `release()`, for `await using lease = await acquireLock(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options shared by every lease handle. */
export interface LeaseWaitOptions {
  /**
   * Stop waiting when this signal aborts: the waiter leaves the queue, then the promise rejects
   * with an {@link AbortError} (the signal's reason is its `cause`). Once the lease is held, the
   * signal no longer matters: release the lease instead.
   */
  signal?: AbortSignal;
}

/**
 * Waits on a holding's states for `acquired` and wraps it as a {@link Lease}. `what` names the
 * call and path in errors (`acquireLock /locks/x`). A lease lost because `zk` was closed says so
 * in the reason's `cause`.
 */
export function leaseOf(
  zk: ZkClient,
  holding: Holding,
  path: string,
  what: string,
  signal: AbortSignal | undefined,
): Promise<Lease> {
  const closed = () => new ClientClosedError(`${what}: the client was closed`, { path });
  return hold<LockState>({
    ...holding,
    reached: (s) => s.state === 'acquired',
    lost: (s) => s.state !== 'acquired',
    lostError: (cause) =>
      new LockLostError(`${what}: lost (connection suspended, session lost, or node deleted); released`, {
        path,
        cause: cause ?? (isClosing(zk) ? closed() : undefined),
      }),
    closedError: closed,
    abortError: (reason) => new AbortError(`${what}: aborted while waiting; left the queue`, { path, cause: reason }),
    signal,
  }).then((held) => ({
    path,
    fencingToken: held.reached.fencingToken!,
    signal: held.signal,
    get released() {
      return held.released;
    },
    release: held.release,
    [Symbol.asyncDispose]: held.release,
  }));
}
