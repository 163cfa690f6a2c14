/**
 * A fair read/write lock: any number of readers at once, or one writer alone. Subscribing to
 * `read$()` or `write$()` is queueing for the lock; unsubscribing releases it or leaves the queue.
 *
 * The ZooKeeper algorithm (ZooKeeper's shared-lock recipe; Curator's InterProcessReadWriteLock):
 * 1. Create an ephemeral-sequential node with a protected name under the lock path; the name
 *    carries `read` or `write`, so the queue can be read from the child names alone.
 * 2. List the children in sequence order. A writer holds the lock when its node is first; a
 *    reader when no writer's node is ahead of its own. Either must own its node on the current
 *    session. The node's czxid is the fencing token.
 * 3. Otherwise watch one node with getData: a writer the node just ahead, a reader the nearest
 *    writer ahead. When it goes, back to 2: the whole queue is evaluated again, so a reader whose
 *    writer left waits on the next writer ahead, if any, instead of taking the lock.
 * 4. Release: delete the node.
 *
 * Caveats:
 * - Fair: a reader queues behind any writer that came before it, so writers are not starved, and
 *   a reader that comes while readers hold the lock but a writer waits has to wait too.
 * - When a writer leaves, every reader waiting on it wakes: they all take the lock together.
 * - Suspension, session loss, `timeoutMs` and fencing behave as for {@link lock}: a suspended holder
 *   emits `lost` at once, a suspended waiter stays `waiting`, and a waiter that times out leaves
 *   the queue before erroring with {@link LockTimeoutError}.
 * - A plain {@link lock} on the same path counts as a writer.
 * - Beside Curator and kazoo: their readers (`__READ__`, `__rlock__`) count as readers and every
 *   other contender as a writer, in the server's order. With `scheme: 'curator'` or `'kazoo'`
 *   rxzk names its nodes as their InterProcessReadWriteLock or ReadLock/WriteLock do, so they wait
 *   for rxzk too.
 */
import type { Observable } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { LockLostError } from '../errors/recipe-errors.js';
import { ClientClosedError } from '../errors/zk-error.js';
import { validatePath } from '../paths/validate-path.js';
import type { Holding } from './holding.js';
import { lockParticipation, type LockOptions, type LockState } from './lock.js';
import { readWritePosition, READER_ID, WRITER_ID, type LockKind } from './operators/read-write-position.js';
import { participate } from './participation.js';
import { checkFunction, checkTimeout } from './recipe-arguments.js';
import { runWhileHeld } from './run-while-held.js';
import { checkSchemeOptions, schemeParticipant } from './scheme-participant.js';
import type { WorkResult } from './work-result.js';

/** The two sides of a read/write lock at one path. */
export interface ReadWriteLock {
  /** The lock's path. */
  readonly path: string;
  /**
   * Queues for a read lock while subscribed: `waiting`, then `acquired` (with a fencing token)
   * once no writer is ahead; `lost` if the connection is suspended or the session lost while
   * holding. Unsubscribing releases it or leaves the queue.
   *
   * @throws InvalidArgumentError at once for bad options.
   */
  read$(options?: LockOptions): Observable<LockState>;
  /**
   * Queues for the write lock while subscribed: `acquired` once every earlier participant
   * (reader or writer) has left. Otherwise like {@link read$}.
   *
   * @throws InvalidArgumentError at once for bad options.
   */
  write$(options?: LockOptions): Observable<LockState>;
}

/**
 * The read/write lock at `path`: `read$()` and `write$()` give lock streams shaped like
 * {@link lock}'s. Readers share the lock, a writer holds it alone; participants are served in
 * arrival order (a reader never overtakes a writer that came first), each waiting on one node.
 *
 * ## Example
 * ```ts
 * import { connect, readWriteLock } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const rw = readWriteLock(zk, '/locks/catalog');
 * rw.read$().subscribe(({ state }) => console.log('reader', state));
 * rw.write$({ timeoutMs: 5_000 }).subscribe(({ state }) => console.log('writer', state));
 * // Logs: reader waiting, writer waiting, reader acquired
 * //       (and writer acquired once the reader unsubscribes)
 * ```
 *
 * @throws InvalidPathError at once for a bad path.
 */
export function readWriteLock(zk: ZkClient, path: string): ReadWriteLock {
  validatePath(path, 'readWriteLock');
  return {
    path,
    read$: (options = {}) => sideOf(zk, path, 'read', options),
    write$: (options = {}) => sideOf(zk, path, 'write', options),
  };
}

/**
 * Acquires the read lock at `path`, runs `work`, and releases the lock: like {@link withLock},
 * it completes only after the release is acknowledged, errors with {@link LockLostError} if the
 * lock is lost while the work runs, and always releases.
 *
 * ## Example
 * ```ts
 * import { connect, withReadLock } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * withReadLock(zk, '/locks/catalog', () => loadCatalog()).subscribe((catalog) => console.log(catalog.size));
 * // Logs: 42
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options.
 */
export function withReadLock<T>(zk: ZkClient, path: string, work: () => WorkResult<T>, options: LockOptions = {}): Observable<T> {
  return withSide(zk, path, 'read', work, options);
}

/**
 * Acquires the write lock at `path`, runs `work`, and releases the lock, as {@link withReadLock}
 * does for the read lock.
 *
 * ## Example
 * ```ts
 * import { connect, withWriteLock } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * withWriteLock(zk, '/locks/catalog', () => rebuildCatalog()).subscribe({ complete: () => console.log('rebuilt') });
 * // Logs: rebuilt
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options.
 */
export function withWriteLock<T>(zk: ZkClient, path: string, work: () => WorkResult<T>, options: LockOptions = {}): Observable<T> {
  return withSide(zk, path, 'write', work, options);
}

/** One side's participant, for {@link readWriteLock}, the `with` functions and `acquireReadLock`/`acquireWriteLock`. */
export function readWriteParticipation(zk: ZkClient, path: string, kind: LockKind, options: LockOptions): Holding {
  const participant = schemeParticipant(zk, path, kind === 'read' ? 'reader' : 'writer', {
    what: `readWriteLock ${kind}$`,
    scheme: options.scheme,
    nameId: kind === 'read' ? READER_ID : WRITER_ID,
    data: options.id ?? null,
    rule: readWritePosition(kind),
  });
  return lockParticipation(zk, path, options, participant, `${kind} lock`);
}

function sideOf(zk: ZkClient, path: string, kind: LockKind, options: LockOptions): Observable<LockState> {
  checkTimeout(options?.timeoutMs, `readWriteLock ${path}: ${kind}$`);
  checkSchemeOptions(options, `readWriteLock ${path}: ${kind}$`);
  return participate(() => readWriteParticipation(zk, path, kind, options));
}

function withSide<T>(
  zk: ZkClient,
  path: string,
  kind: LockKind,
  work: () => WorkResult<T>,
  options: LockOptions,
): Observable<T> {
  const what = kind === 'read' ? 'withReadLock' : 'withWriteLock';
  validatePath(path, what);
  checkTimeout(options?.timeoutMs, what);
  checkSchemeOptions(options, what);
  checkFunction(work, what, 'work');
  return runWhileHeld(() => readWriteParticipation(zk, path, kind, options), work, {
    lost: () => new LockLostError(`${what} ${path}: the ${kind} lock was lost while the work ran`, { path }),
    closed: () => new ClientClosedError(`${what} ${path}: the client was closed`, { path }),
  });
}
