import type { Observable, SchedulerLike } from 'rxjs';
import type { ACL } from '../model/acl.js';
import type { ConnectionState } from '../model/connection-state.js';
import type { Data } from '../model/data.js';
import type { Stat, ZNode } from '../model/stat.js';
import type { TreeOptions } from '../streams/tree-stream.js';
import type { CallOptions, CreateOptions, ReadyOptions } from './call-options.js';
import type { Transaction } from './transaction.js';

/**
 * A reactive ZooKeeper client. Create one with {@link connect}; it connects in the background
 * and keeps a session for as long as it lives, building a new one by itself after `lost`.
 *
 * Every stream it gives (`data$`, `children$`, `exists$`, `tree$`, `childrenData$`, `deleted$`,
 * `state$`) is hot and shared, survives disconnects, failover and session loss, and completes on
 * {@link close}.
 */
export interface ZkClient {
  /**
   * The connection state: hot, replays the current state to each new subscriber, completes after
   * `closed`. See {@link ConnectionState}.
   */
  readonly state$: Observable<ConnectionState>;

  /** The current connection state. */
  readonly state: ConnectionState;

  /** The current session's id (hex), or `null` while there is none (before the first, and after `lost`). */
  readonly sessionId: string | null;

  /** The session timeout the server granted, in ms (the one asked for, before the first session). */
  readonly sessionTimeoutMs: number;

  /**
   * Why the latest attempt to connect failed: the socket's error (`connect ECONNREFUSED
   * 127.0.0.1:2181`, `getaddrinfo ENOTFOUND zk-1`), or `no session reply within ... ms` when a
   * server accepted the connection but never answered. `null` until an attempt fails; kept after
   * a session is made. The client keeps trying by itself; this only says why it has to.
   */
  readonly lastConnectError: Error | null;

  /**
   * How many connection attempts failed in a row: since the client started, or since its last
   * session was made. Once it reaches the number of servers, every server was tried at least once
   * without success.
   */
  readonly failedConnectAttempts: number;

  /** The scheduler every timer of this client runs on; recipes time with it too. */
  readonly scheduler: SchedulerLike;

  /** The servers this client connects to (`host:port,...`). */
  readonly connectString: string;

  /**
   * Resolves once the client has a live session (at once if it has one). Rejects with
   * {@link OperationTimeoutError} after `timeoutMs` (its message and `cause` give the last
   * connection error, if any), {@link ClientClosedError} if closed first,
   * {@link AuthFailedError} if the server rejects the credentials.
   */
  ready(options?: ReadyOptions): Promise<void>;

  /**
   * Closes the session (its ephemeral nodes go at once), fails pending operations with
   * {@link ClientClosedError}, and completes every stream of this client. Idempotent.
   */
  close(): Promise<void>;

  // ---------------------------------------------------------------------------------------------
  // Watched streams

  /**
   * The node at `path`: hot, shared by every subscriber of the same path on this client (one
   * watch and one read per change), replaying the latest value. Emits `null` while the node does
   * not exist (on a deletion, as soon as the watch event comes). Emits only real changes (by
   * czxid/mzxid) and never an older state after a newer one; it may skip intermediate values but
   * always converges to the latest.
   *
   * While the connection is suspended or lost it holds its last value; when the session is back
   * it reads again (on a new session, afresh), so nothing that changed meanwhile is missed.
   * Completes on {@link close}; errors only on a final error such as NoAuth.
   *
   * ## Example
   * ```ts
   * import { connect, utf8 } from 'rxzk';
   * const zk = connect('127.0.0.1:2181');
   * zk.data$('/config/motd').pipe(utf8()).subscribe((text) => console.log(text));
   * // Logs: null (until the node is created), then each new value
   * ```
   *
   * @throws InvalidPathError at once for a bad path.
   */
  data$(path: string): Observable<ZNode | null>;

  /**
   * The child names of `path`, sorted: hot and shared like {@link data$}; `null` while the node
   * does not exist; emits only when the list changes. Every subscriber is given the same array,
   * frozen: copy it to sort or change it.
   *
   * @throws InvalidPathError at once for a bad path.
   */
  children$(path: string): Observable<readonly string[] | null>;

  /**
   * The node's {@link Stat}, or `null` while it does not exist: hot and shared like
   * {@link data$}. Emits on creation, deletion and data changes; a change of children alone does
   * not make it emit (so `numChildren` and `pzxid` may be behind).
   *
   * @throws InvalidPathError at once for a bad path.
   */
  exists$(path: string): Observable<Stat | null>;

  /**
   * The whole subtree at `path` (the node itself and everything below), keyed by absolute path:
   * hot and shared per path. The first emission is the complete tree (an empty map while `path`
   * does not exist); then one emission per batch of changes. Reads are bounded while loading and
   * after a new session, when the tree is read again and emitted only if it changed.
   *
   * @throws InvalidPathError at once for a bad path; InvalidArgumentError for a `concurrency` that
   *   is not an integer >= 1.
   */
  tree$(path: string, options?: TreeOptions): Observable<ReadonlyMap<string, ZNode>>;

  /**
   * The data of every child of `path`, keyed by child name: one child watch on the parent and one
   * data watch per child, kept as children come and go (a child's watch starts when it appears
   * and stops when it leaves, never restarted for the others). A deleted child leaves no watch
   * behind on the server. Emits once every current child has been read, then on every change. An
   * empty map while the parent is missing. Hot and shared per path, replaying the latest map.
   *
   * ## Example
   * ```ts
   * zk.childrenData$('/services/api').subscribe((nodes) => console.log([...nodes.keys()]));
   * // Logs: [ 'a1', 'a2' ]
   * ```
   *
   * @throws InvalidPathError at once for a bad path.
   */
  childrenData$(path: string): Observable<ReadonlyMap<string, ZNode>>;

  /**
   * Emits once, then completes, when the node at `path` does not exist (at once if it does not
   * exist now). It watches with getData only, so once the node is gone no watch is left behind
   * on the server. Recipes use it to wait for a predecessor.
   *
   * @throws InvalidPathError at once for a bad path.
   */
  deleted$(path: string): Observable<void>;

  // ---------------------------------------------------------------------------------------------
  // One-shot operations

  /**
   * Creates a node and resolves with its path (with the sequence number for sequential modes).
   *
   * @throws InvalidPathError, DataTooLargeError, InvalidArgumentError at once for bad input.
   * Rejects with NodeExistsError, NoNodeError (missing parent, without `parents`), NoAuthError...
   */
  create(path: string, data?: Data | null, options?: CreateOptions & CallOptions): Promise<string>;

  /**
   * Reads a node's data and stat.
   *
   * @throws InvalidPathError at once. Rejects with NoNodeError if it does not exist.
   */
  get(path: string, options?: CallOptions): Promise<ZNode>;

  /**
   * Sets a node's data; with `version`, only if the node is at that version (else
   * BadVersionError). A conditional set is not re-sent after a connection loss: if the first
   * attempt took effect, a repeat would report a conflict that is not one.
   *
   * @throws InvalidPathError, DataTooLargeError at once.
   */
  set(path: string, data: Data, options?: { version?: number } & CallOptions): Promise<Stat>;

  /**
   * Deletes a node; with `version`, only at that version; with `recursive`, its whole subtree
   * first (deepest first, pipelined, up to 256 requests in flight; children added meanwhile are
   * deleted too, a few rounds at most).
   *
   * @throws InvalidPathError at once. Rejects with NoNodeError, NotEmptyError, BadVersionError...
   */
  delete(path: string, options?: { version?: number; recursive?: boolean } & CallOptions): Promise<void>;

  /**
   * Lists a node's children, sorted.
   *
   * @throws InvalidPathError at once. Rejects with NoNodeError if it does not exist.
   */
  getChildren(path: string, options?: CallOptions): Promise<string[]>;

  /** The node's stat, or `null` if it does not exist. @throws InvalidPathError at once. */
  exists(path: string, options?: CallOptions): Promise<Stat | null>;

  /** A node's ACL and stat. @throws InvalidPathError at once. */
  getACL(path: string, options?: CallOptions): Promise<{ acl: ACL[]; stat: Stat }>;

  /** Replaces a node's ACL; with `version`, only at that ACL version. @throws InvalidPathError at once. */
  setACL(path: string, acl: readonly ACL[], options?: { version?: number } & CallOptions): Promise<Stat>;

  /**
   * Adds credentials to this session and to every later one (replayed before any queued
   * operation runs). Resolves once the server has processed them.
   */
  addAuth(scheme: string, credentials: string | Buffer): Promise<void>;

  /**
   * Starts a transaction: add `create`, `set`, `delete` and `check` steps, then `commit()` to
   * apply all of them atomically, or none.
   */
  transaction(): Transaction;
}
