/**
 * A barrier: participants wait until a coordinator lifts it.
 *
 * The ZooKeeper algorithm (ZooKeeper's barrier recipe; Curator's DistributedBarrier):
 * 1. The coordinator sets the barrier by creating its node (a persistent node).
 * 2. A waiter reads the node with getData and a watch: if it does not exist, the barrier is
 *    lifted and the waiter goes on at once.
 * 3. Otherwise it waits for the watch; when the node is deleted, it goes on. getData leaves no
 *    watch behind once the node is gone (an `exists` watch would stay armed on the missing path).
 * 4. The coordinator lifts the barrier by deleting the node.
 *
 * Caveats:
 * - Waiters wait through suspensions and session loss (the node is read again on the new
 *   session), so a barrier lifted meanwhile is noticed. A barrier set again before a waiter
 *   noticed it was lifted may hold that waiter back again.
 * - If the client closes first, `wait$()` completes without emitting.
 * - The barrier node is persistent: a coordinator that crashes leaves it set. Use `timeoutMs`.
 */
import { defer, throwError, timeout, type Observable } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { BarrierTimeoutError } from '../errors/recipe-errors.js';
import { validatePath } from '../paths/validate-path.js';
import { createIfAbsent, deleteIfPresent } from './node-idioms.js';
import { checkTimeout } from './recipe-arguments.js';

/** Options of {@link Barrier.wait$}. */
export interface BarrierWaitOptions {
  /** Give up after this long (ms): the stream errors with {@link BarrierTimeoutError}. */
  timeoutMs?: number;
}

/** A barrier at one path. */
export interface Barrier {
  /** The barrier node. */
  readonly path: string;
  /** Sets the barrier: creates its node (and missing parents) unless it exists. */
  set(): Promise<void>;
  /** Lifts the barrier: deletes its node unless it is gone already. */
  remove(): Promise<void>;
  /**
   * Emits once and completes when the barrier is lifted (its node does not exist), at once if
   * it is not set. Errors with {@link BarrierTimeoutError} after `timeoutMs`.
   *
   * @throws InvalidArgumentError at once for bad options.
   */
  wait$(options?: BarrierWaitOptions): Observable<void>;
}

/**
 * The barrier at `path`: `set()` raises it, `remove()` lifts it, and `wait$()` waits until it is
 * lifted.
 *
 * ## Example
 * ```ts
 * import { barrier, connect } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const gate = barrier(zk, '/barriers/deploy');
 * await gate.set();
 * gate.wait$({ timeoutMs: 60_000 }).subscribe(() => console.log('go'));
 * await gate.remove(); // elsewhere, in the coordinator
 * // Logs: go
 * ```
 *
 * @throws InvalidPathError at once for a bad path.
 */
export function barrier(zk: ZkClient, path: string): Barrier {
  validatePath(path, 'barrier');
  return {
    path,
    async set() {
      await createIfAbsent(zk, path, null, { parents: true });
    },
    remove: () => deleteIfPresent(zk, path),
    wait$(options: BarrierWaitOptions = {}) {
      const timeoutMs = options?.timeoutMs;
      checkTimeout(timeoutMs, `barrier ${path}: wait$`);
      const lifted$ = defer(() => zk.deleted$(path));
      if (timeoutMs === undefined) return lifted$;
      return lifted$.pipe(
        timeout({
          first: timeoutMs,
          scheduler: zk.scheduler,
          with: () =>
            throwError(() => new BarrierTimeoutError(`barrier ${path}: not lifted within ${timeoutMs} ms`, { path })),
        }),
      );
    },
  };
}
