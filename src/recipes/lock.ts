/**
 * A fair distributed lock: subscribing is queueing for it, unsubscribing releases it or leaves
 * the queue.
 *
 * The ZooKeeper algorithm (ZooKeeper's lock recipe; Curator's InterProcessMutex):
 * 1. Create an ephemeral-sequential node with a protected name under the lock path (a lost reply
 *    is found again by its unique id, never duplicated).
 * 2. List the children in sequence order. If ours is first and owned by our current session, the
 *    lock is ours; its czxid is the fencing token (it only grows, across every lock).
 * 3. Otherwise watch only the node just ahead of ours, with getData (no watch is left behind when
 *    it is already gone); when it goes, back to 2. Waiters are served in arrival order.
 * 4. Release: delete our node.
 *
 * Caveats:
 * - A holder whose connection is suspended emits `lost` at once: the server cannot expire the
 *   session before the client's clock says `lost`, so nobody else can hold the lock before this
 *   holder was told to stop. After `reconnected` it re-checks and may emit `acquired` again (same
 *   node, same token); after `lost` it queues again on the new session.
 * - A waiter that is suspended stays `waiting`.
 * - With `timeoutMs`, a waiter that is not served in time deletes its node, and only then errors
 *   with {@link LockTimeoutError}: it never stays in the queue to be granted a lock nobody uses.
 * - Protect the resource with the fencing token, not with the lock alone: a holder paused longer
 *   than its session timeout (a long GC, a stopped VM) cannot know it lost the lock.
 * - Beside Curator and kazoo: every sequential child counts in step 2, whoever made it (Curator's
 *   `-lock-`, kazoo's `__lock__`, any name ending in a sequence number), so rxzk waits for them.
 *   For them to wait for rxzk, name rxzk's node their way with `scheme: 'curator'` or `'kazoo'`.
 */
import type { Observable, OperatorFunction } from 'rxjs';
import type { ConnectionState } from '../model/connection-state.js';
import type { ZkClient } from '../client/zk-client.js';
import { LockLostError, LockTimeoutError } from '../errors/recipe-errors.js';
import { ClientClosedError } from '../errors/zk-error.js';
import { validatePath } from '../paths/validate-path.js';
import { holding, type Holding } from './holding.js';
import { holderStates, type HolderState } from './operators/holder-states.js';
import { participate } from './participation.js';
import type { QueueParticipant, Standing } from './queue-participant.js';
import { checkFunction, checkTimeout } from './recipe-arguments.js';
import { runWhileHeld } from './run-while-held.js';
import { checkSchemeOptions, schemeParticipant, type SchemeOptions } from './scheme-participant.js';
import type { WorkResult } from './work-result.js';

/** A lock participant's state. `fencingToken` is set while `acquired`. */
export type LockState = HolderState;

/** Options of {@link lock} and {@link withLock}. */
export interface LockOptions extends SchemeOptions {
  /** Give up waiting after this long (ms): the node is removed, then the stream errors with {@link LockTimeoutError}. */
  timeoutMs?: number;
}

/**
 * The lock decision as an operator over a participant's standings and connection states: holding
 * the first place is `acquired` (with the node's czxid as fencing token); while the session is not
 * live, a holder has `lost` the lock and a waiter is still `waiting`.
 */
export function lockStates(): OperatorFunction<Standing | ConnectionState, LockState> {
  return holderStates<Standing>((standing) => {
    if (standing.kind === 'evicted') return 'evicted';
    return standing.position.holds ? { holds: standing.stat.czxid } : 'waiting';
  });
}

/**
 * A lock participant on the participation shell, for {@link lock}, {@link withLock} and
 * `acquireLock` (and the read/write lock, which brings a participant with its own queue rule).
 *
 * @param what Names the lock in a timeout's message (`lock`, `read lock`...).
 */
export function lockParticipation(
  zk: ZkClient,
  path: string,
  options: LockOptions,
  participant: QueueParticipant = schemeParticipant(zk, path, 'lock', {
    what: 'lock',
    scheme: options.scheme,
    nameId: 'lock',
    data: options.id ?? null,
  }),
  what = 'lock',
): Holding {
  const { timeoutMs } = options;
  return holding(zk, participant, lockStates(), timeoutMs, () =>
    new LockTimeoutError(`${what} ${path}: not acquired within ${timeoutMs} ms; left the queue`, { path }),
  );
}

/**
 * Queues for the lock at `path` while subscribed. Emits `waiting`, then `acquired` (with a fencing
 * token) when this participant holds the lock; a holder whose connection is suspended or whose
 * session is lost emits `lost`. Fair (arrival order), herd-free (each waiter watches only the one
 * ahead), protected against lost replies on create. Unsubscribing releases the lock or leaves the
 * queue.
 *
 * ## Example
 * ```ts
 * import { connect, lock } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const sub = lock(zk, '/locks/report', { timeoutMs: 10_000 }).subscribe(({ state, fencingToken }) => {
 *   if (state === 'acquired') startWriting(fencingToken);
 *   if (state === 'lost') stopWriting();
 * });
 * // later: sub.unsubscribe() releases it
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options.
 */
export function lock(zk: ZkClient, path: string, options: LockOptions = {}): Observable<LockState> {
  validatePath(path, 'lock');
  checkTimeout(options.timeoutMs, 'lock');
  checkSchemeOptions(options, 'lock');
  return participate(() => lockParticipation(zk, path, options));
}

/**
 * Acquires the lock at `path`, runs `work`, and releases the lock. Emits the work's values, and
 * completes only after the lock node is deleted (the release is acknowledged), so a following
 * `withLock` never races the release. Errors with {@link LockLostError} (after stopping the work)
 * if the lock is lost while the work runs, and with {@link LockTimeoutError} if it is not acquired
 * within `timeoutMs`. The lock is always released, whatever happens.
 *
 * `work` may return an Observable, a Promise or an async iterable (their values are emitted), or a
 * plain value, emitted once as it is (`() => 'done'` emits `'done'`; work that returns nothing
 * emits `undefined`). The lock is not re-entrant: a `withLock` or `acquireLock` of the same path
 * inside the work, even on the same client, queues behind this holder and waits for good (or
 * until its `timeoutMs`).
 *
 * ## Example
 * ```ts
 * import { connect, withLock } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * withLock(zk, '/locks/counter', () => incrementCounter()).subscribe({
 *   next: (value) => console.log('counter is', value),
 *   complete: () => console.log('released'),
 * });
 * // Logs: counter is 42, released
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options.
 */
export function withLock<T>(
  zk: ZkClient,
  path: string,
  work: () => WorkResult<T>,
  options: LockOptions = {},
): Observable<T> {
  validatePath(path, 'withLock');
  checkTimeout(options.timeoutMs, 'withLock');
  checkSchemeOptions(options, 'withLock');
  checkFunction(work, 'withLock', 'work');
  return runWhileHeld(() => lockParticipation(zk, path, options), work, {
    lost: () => new LockLostError(`withLock ${path}: the lock was lost while the work ran`, { path }),
    closed: () => new ClientClosedError(`withLock ${path}: the client was closed`, { path }),
  });
}
