import { filter, map, take, type Observable, type SchedulerLike } from 'rxjs';
import { badVersionError, missingParentError, NO_NODE } from '../errors/call-errors.js';
import { errorFromCode } from '../errors/from-code.js';
import {
  AuthFailedError,
  BadVersionError,
  ClientClosedError,
  InvalidArgumentError,
  NoNodeError,
  NodeExistsError,
  NotEmptyError,
  OperationTimeoutError,
} from '../errors/zk-error.js';
import { distinctChildren } from '../operators/distinct-children.js';
import { latestNode, latestStat } from '../operators/latest-node.js';
import { ancestorsOf, joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { readChildren, readData, readDataWhilePresent, readPresence, readStat } from '../streams/node-reads.js';
import { SharedStreams } from '../streams/shared-streams.js';
import type { StreamHost } from '../streams/stream-host.js';
import { treeStream, type TreeOptions } from '../streams/tree-stream.js';
import { watchedNode } from '../streams/watched-node.js';
import { checkACL, OPEN_ACL_UNSAFE, type ACL } from '../model/acl.js';
import { Connection } from '../session/connection.js';
import { isLive, type ConnectionState } from '../model/connection-state.js';
import { OperationQueue, type OperationSpec } from '../session/operation-queue.js';
import { resolveOptions, type ConnectOptions, type ResolvedOptions } from './options.js';
import type { CreateModeFlag } from '../wire/create-modes.js';
import { EventType } from '../wire/event-types.js';
import { NzcWireClient } from '../wire/nzc/nzc-wire-client.js';
import type { WireClient } from '../wire/wire-client.js';
import {
  checkRequestSize,
  createBodyBytes,
  pathVersionBodyBytes,
  readBodyBytes,
  setACLBodyBytes,
  setBodyBytes,
} from './request-size.js';
import { SESSION_CREDENTIALS, type SessionCredentials } from '../session/session-credentials.js';
import { EMPTY_DATA } from '../model/data.js';
import { toZNode, type Stat, type ZNode } from '../model/stat.js';
import { deleteRecursive } from './recursive-delete.js';
import { Transaction } from './transaction.js';
import { CREATE_MODES } from '../model/create-mode.js';
import { checkCallTimeout, checkVersion, type CallOptions, type CreateOptions, type ReadyOptions } from './call-options.js';
import { toBuffer, type Data } from '../model/data.js';

/**
 * A reactive ZooKeeper client. Create one with {@link connect}; it connects in the background
 * and keeps a session for as long as it lives, building a new one by itself after `lost`.
 *
 * Every stream it gives (`data$`, `children$`, `exists$`, `tree$`, `deleted$`, `state$`) is hot
 * and shared, survives disconnects, failover and session loss, and completes on {@link close}.
 */
export class ZkClient {
  /** @internal */
  readonly options: ResolvedOptions;
  private readonly connection: Connection;
  private readonly operations: OperationQueue;
  private readonly streams = new SharedStreams();
  private readonly host: StreamHost;
  private closePromise: Promise<void> | null = null;

  /** @internal Use {@link connect}. */
  constructor(connectString: string, options: ConnectOptions = {}) {
    this.options = resolveOptions(connectString, options);
    this.connection = new Connection(this.options, (wireOptions) =>
      new NzcWireClient(this.options.connectString, { ...wireOptions, maxRequestBytes: this.options.maxRequestBytes }, this.options.scheduler),
    );
    this.operations = new OperationQueue(this.options.scheduler, () => this.connection.live);
    // Subscription order is request order on a new session: the namespace first, then the
    // operations that waited, then the streams' reads.
    if (this.options.chroot && this.options.createChroot) this.ensureNamespaceOnEverySession();
    this.connection.state$.subscribe((state) => this.operations.onState(state));
    this.host = {
      state$: this.connection.state$,
      live: () => this.connection.live,
      toServerPath: (path) => this.toServerPath(path),
      unwatch: (serverPath, watcher) => this.connection.unwatch(serverPath, watcher),
    };
  }

  /**
   * The connection state: hot, replays the current state to each new subscriber, completes after
   * `closed`. See {@link ConnectionState}.
   */
  get state$(): Observable<ConnectionState> {
    return this.connection.state$;
  }

  /** The current connection state. */
  get state(): ConnectionState {
    return this.connection.state;
  }

  /** The current session's id (hex), or `null` while there is none (before the first, and after `lost`). */
  get sessionId(): string | null {
    return this.connection.sessionId;
  }

  /** The session timeout the server granted, in ms (the one asked for, before the first session). */
  get sessionTimeoutMs(): number {
    return this.connection.sessionTimeoutMs;
  }

  /**
   * @internal Whether {@link close} has been called. Until the server has ended the session the
   * state is still live, but nothing made now would outlive it: recipes stop re-creating their
   * nodes (which the server deletes as it closes the session).
   */
  get closing(): boolean {
    return this.closePromise !== null;
  }

  /**
   * Why the latest attempt to connect failed: the socket's error (`connect ECONNREFUSED
   * 127.0.0.1:2181`, `getaddrinfo ENOTFOUND zk-1`), or `no session reply within ... ms` when a
   * server accepted the connection but never answered. `null` until an attempt fails; kept after
   * a session is made. The client keeps trying by itself; this only says why it has to.
   */
  get lastConnectError(): Error | null {
    return this.connection.lastConnectError;
  }

  /**
   * How many connection attempts failed in a row: since the client started, or since its last
   * session was made. Once it reaches the number of servers, every server was tried at least once
   * without success.
   */
  get failedConnectAttempts(): number {
    return this.connection.failedConnectAttempts;
  }

  /** The scheduler every timer of this client runs on; recipes time with it too. */
  get scheduler(): SchedulerLike {
    return this.options.scheduler;
  }

  /** The servers this client connects to (`host:port,...`). */
  get connectString(): string {
    return this.options.connectString;
  }

  /** @internal For `rxzk/testing`'s `expireSession`. */
  [SESSION_CREDENTIALS](): SessionCredentials | null {
    return this.connection.credentials();
  }

  /**
   * Resolves once the client has a live session (at once if it has one). Rejects with
   * {@link OperationTimeoutError} after `timeoutMs` (its message and `cause` give the last
   * connection error, if any), {@link ClientClosedError} if closed first,
   * {@link AuthFailedError} if the server rejects the credentials.
   */
  ready(options: ReadyOptions = {}): Promise<void> {
    const timeoutMs = checkCallTimeout(options?.timeoutMs, 'ready') ?? 15_000;
    return new Promise<void>((resolve, reject) => {
      const timer = this.options.scheduler.schedule(() => {
        subscription.unsubscribe();
        const why = this.lastConnectError ? `; last connection error: ${this.lastConnectError.message}` : '';
        reject(
          new OperationTimeoutError(
            `ready: no session with ${this.options.connectString} within ${timeoutMs} ms (state: ${this.state}${why})`,
            { cause: this.lastConnectError ?? undefined },
          ),
        );
      }, timeoutMs);
      const subscription = this.connection.state$.subscribe((state) => {
        if (isLive(state)) {
          resolve();
        } else if (state === 'closed') {
          reject(new ClientClosedError('ready: the client was closed'));
        } else if (state === 'auth-failed') {
          reject(new AuthFailedError("ready: the server rejected the client's credentials", { code: -115 }));
        } else {
          return;
        }
        timer.unsubscribe();
        queueMicrotask(() => subscription.unsubscribe());
      });
    });
  }

  /**
   * Closes the session (its ephemeral nodes go at once), fails pending operations with
   * {@link ClientClosedError}, and completes every stream of this client. Idempotent.
   */
  close(): Promise<void> {
    this.closePromise ??= this.connection.close(Math.min(this.sessionTimeoutMs, 5_000));
    return this.closePromise;
  }

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
  data$(path: string): Observable<ZNode | null> {
    this.checkReadPath(path, 'data$');
    return this.streams.get(`data:${path}`, () =>
      // A delete event says the node is gone: no need to wait for the re-read to say so.
      watchedNode(this.host, path, 'data$', readData(path), (event) =>
        event.type === EventType.nodeDeleted ? null : undefined,
      ).pipe(latestNode()),
    );
  }

  /**
   * @internal The node at `path` while it exists, for `childrenData`: like {@link data$}, but once
   * a read finds the node missing it emits `null` and reads no more (until a new session), leaving
   * no watch on the server for a path that may never come back. Not shared: each subscription
   * reads for itself, so that subscribing again reads afresh.
   */
  dataWhilePresent$(path: string): Observable<ZNode | null> {
    this.checkReadPath(path, 'childrenData');
    return watchedNode(this.host, path, 'childrenData', readDataWhilePresent(path), (event) =>
      event.type === EventType.nodeDeleted ? null : undefined,
    ).pipe(latestNode());
  }

  /**
   * @internal Shares `create()`'s stream under `key` among every subscriber on this client, as
   * the watched streams are: for composite streams such as `childrenData`.
   */
  shared<T>(key: string, create: () => Observable<T>): Observable<T> {
    return this.streams.get(key, create);
  }

  /**
   * @internal The child names of `path` from every read, repeats included (`children$` emits only
   * changes), for `childrenData`: a child deleted and created again between two reads leaves the
   * list as it was, and only a read says it is there again.
   */
  childrenReads$(path: string): Observable<string[] | null> {
    this.checkReadPath(path, 'childrenData');
    return this.streams.get(`children-reads:${path}`, () => watchedNode(this.host, path, 'childrenData', readChildren()));
  }

  /**
   * The child names of `path`, sorted: hot and shared like {@link data$}; `null` while the node
   * does not exist; emits only when the list changes.
   *
   * @throws InvalidPathError at once for a bad path.
   */
  children$(path: string): Observable<string[] | null> {
    this.checkReadPath(path, 'children$');
    return this.streams.get(`children:${path}`, () =>
      watchedNode(this.host, path, 'children$', readChildren()).pipe(distinctChildren()),
    ) as Observable<string[] | null>;
  }

  /**
   * The node's {@link Stat}, or `null` while it does not exist: hot and shared like
   * {@link data$}. Emits on creation, deletion and data changes; a change of children alone does
   * not make it emit (so `numChildren` and `pzxid` may be behind).
   *
   * @throws InvalidPathError at once for a bad path.
   */
  exists$(path: string): Observable<Stat | null> {
    this.checkReadPath(path, 'exists$');
    return this.streams.get(`exists:${path}`, () =>
      watchedNode(this.host, path, 'exists$', readStat()).pipe(latestStat()),
    );
  }

  /**
   * The whole subtree at `path` (the node itself and everything below), keyed by absolute path:
   * hot and shared per path. The first emission is the complete tree (an empty map while `path`
   * does not exist); then one emission per batch of changes. Reads are bounded while loading and
   * after a new session, when the tree is read again and emitted only if it changed.
   *
   * @throws InvalidPathError at once for a bad path; InvalidArgumentError for a `concurrency` that
   *   is not an integer >= 1.
   */
  tree$(path: string, options: TreeOptions = {}): Observable<ReadonlyMap<string, ZNode>> {
    this.checkReadPath(path, 'tree$');
    const concurrency = options.concurrency ?? 64;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new InvalidArgumentError(`tree$ ${path}: concurrency must be an integer >= 1, got ${String(concurrency)}`);
    }
    return this.streams.get(`tree:${concurrency}:${path}`, () => treeStream(this.host, path, { concurrency }));
  }

  /**
   * Emits once, then completes, when the node at `path` does not exist (at once if it does not
   * exist now). It watches with getData only, so once the node is gone no watch is left behind
   * on the server. Recipes use it to wait for a predecessor.
   *
   * @throws InvalidPathError at once for a bad path.
   */
  deleted$(path: string): Observable<void> {
    this.checkReadPath(path, 'deleted$');
    return this.streams
      .get(`presence:${path}`, () =>
        // A delete event is a deletion even if the node is re-created before the re-read.
        watchedNode(this.host, path, 'deleted$', readPresence(), (event) =>
          event.type === EventType.nodeDeleted ? false : undefined,
        ),
      )
      .pipe(
        filter((present) => !present),
        take(1),
        map(() => undefined),
      );
  }

  // ---------------------------------------------------------------------------------------------
  // One-shot operations

  /**
   * Creates a node and resolves with its path (with the sequence number for sequential modes).
   *
   * @throws InvalidPathError, DataTooLargeError, InvalidArgumentError at once for bad input.
   * Rejects with NodeExistsError, NoNodeError (missing parent, without `parents`), NoAuthError...
   */
  create(path: string, data?: Data | null, options: CreateOptions & CallOptions = {}): Promise<string> {
    validatePath(path, 'create');
    const bytes = toBuffer(data, 'create');
    const mode = options.mode ?? 'persistent';
    const flags = CREATE_MODES[mode];
    if (flags === undefined) {
      throw new InvalidArgumentError(
        `create ${path}: mode must be one of ${Object.keys(CREATE_MODES).join(', ')}, got ${String(mode)}`,
      );
    }
    const acl = checkACL(options.acl ?? OPEN_ACL_UNSAFE, `create ${path}`);
    const serverPath = this.toServerPath(path);
    checkRequestSize('create', path, createBodyBytes(serverPath, bytes, acl), this.options.maxRequestBytes);
    const attempt = () =>
      this.run<string>(
        {
          name: 'create',
          path,
          // A sequential create sent twice makes two nodes: never re-send it blindly.
          resendable: flags === 0 || flags === 1,
          send: (wire, done) =>
            wire.create(serverPath, bytes ?? null, acl, flags as CreateModeFlag, {}, (error, created) =>
              done(error, error ? undefined : this.toUserPath(created!.path)),
            ),
          describeError: (error) =>
            error.code === NO_NODE ? missingParentError(path, error) : errorFromCode(error.code, path, 'create', error),
        },
        options,
      );
    if (!options.parents) return attempt();
    return attempt().catch(async (error: unknown) => {
      if (!(error instanceof NoNodeError)) throw error;
      for (const ancestor of ancestorsOf(path)) {
        await this.create(ancestor, null, { ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }).catch(
          (e: unknown) => {
            if (!(e instanceof NodeExistsError)) throw e;
          },
        );
      }
      return attempt();
    });
  }

  /**
   * Reads a node's data and stat.
   *
   * @throws InvalidPathError at once. Rejects with NoNodeError if it does not exist.
   */
  get(path: string, options: CallOptions = {}): Promise<ZNode> {
    const serverPath = this.checkReadPath(path, 'get');
    return this.run(
      {
        name: 'get',
        path,
        resendable: true,
        send: (wire, done) =>
          wire.getData(serverPath, null, (error, result) => done(error, error ? undefined : toZNode(path, result!.data, result!.stat))),
      },
      options,
    );
  }

  /**
   * Sets a node's data; with `version`, only if the node is at that version (else
   * BadVersionError). A conditional set is not re-sent after a connection loss: if the first
   * attempt took effect, a repeat would report a conflict that is not one.
   *
   * @throws InvalidPathError, DataTooLargeError at once.
   */
  set(path: string, data: Data, options: { version?: number } & CallOptions = {}): Promise<Stat> {
    validatePath(path, 'set');
    const bytes = toBuffer(data, 'set') ?? EMPTY_DATA;
    const version = checkVersion(options.version, `set ${path}`);
    const serverPath = this.toServerPath(path);
    checkRequestSize('set', path, setBodyBytes(serverPath, bytes), this.options.maxRequestBytes);
    return this.run<Stat>(
      {
        name: 'set',
        path,
        resendable: version === -1,
        send: (wire, done) => wire.setData(serverPath, bytes, version, done),
      },
      options,
    ).catch((error: unknown) => this.explainConflict(error, path, version, 'data', options));
  }

  /**
   * Deletes a node; with `version`, only at that version; with `recursive`, its whole subtree
   * first (deepest first, pipelined, up to 256 requests in flight; children added meanwhile are
   * deleted too, a few rounds at most).
   *
   * @throws InvalidPathError at once. Rejects with NoNodeError, NotEmptyError, BadVersionError...
   */
  delete(path: string, options: { version?: number; recursive?: boolean } & CallOptions = {}): Promise<void> {
    validatePath(path, 'delete');
    const version = checkVersion(options.version, `delete ${path}`);
    checkRequestSize('delete', path, pathVersionBodyBytes(this.toServerPath(path)), this.options.maxRequestBytes);
    if (options.recursive) {
      return deleteRecursive(
        { getChildren: (p) => this.getChildren(p, options), deleteOne: (p, v) => this.deleteOne(p, v, options) },
        path,
        version,
      );
    }
    return this.deleteOne(path, version, options);
  }

  /**
   * Lists a node's children, sorted.
   *
   * @throws InvalidPathError at once. Rejects with NoNodeError if it does not exist.
   */
  getChildren(path: string, options: CallOptions = {}): Promise<string[]> {
    const serverPath = this.checkReadPath(path, 'getChildren');
    return this.run(
      {
        name: 'getChildren',
        path,
        resendable: true,
        send: (wire, done) => wire.getChildren(serverPath, null, (error, children) => done(error, error ? undefined : children!.slice().sort())),
      },
      options,
    );
  }

  /** The node's stat, or `null` if it does not exist. @throws InvalidPathError at once. */
  exists(path: string, options: CallOptions = {}): Promise<Stat | null> {
    const serverPath = this.checkReadPath(path, 'exists');
    return this.run(
      {
        name: 'exists',
        path,
        resendable: true,
        send: (wire, done) => wire.exists(serverPath, null, (error, stat) => done(error, error ? undefined : (stat ?? null))),
      },
      options,
    );
  }

  /** A node's ACL and stat. @throws InvalidPathError at once. */
  getACL(path: string, options: CallOptions = {}): Promise<{ acl: ACL[]; stat: Stat }> {
    const serverPath = this.checkReadPath(path, 'getACL');
    return this.run(
      {
        name: 'getACL',
        path,
        resendable: true,
        send: (wire, done) => wire.getACL(serverPath, (error, result) => done(error, error ? undefined : { acl: result!.acl, stat: result!.stat })),
      },
      options,
    );
  }

  /** Replaces a node's ACL; with `version`, only at that ACL version. @throws InvalidPathError at once. */
  setACL(path: string, acl: readonly ACL[], options: { version?: number } & CallOptions = {}): Promise<Stat> {
    validatePath(path, 'setACL');
    checkACL(acl, `setACL ${path}`);
    const version = checkVersion(options.version, `setACL ${path}`);
    const serverPath = this.toServerPath(path);
    checkRequestSize('setACL', path, setACLBodyBytes(serverPath, acl), this.options.maxRequestBytes);
    return this.run<Stat>(
      {
        name: 'setACL',
        path,
        resendable: version === -1,
        send: (wire, done) => wire.setACL(serverPath, acl, version, done),
      },
      options,
    ).catch((error: unknown) => this.explainConflict(error, path, version, 'acl', options));
  }

  /**
   * Adds credentials to this session and to every later one (replayed before any queued
   * operation runs). Resolves once the server has processed them.
   */
  addAuth(scheme: string, credentials: string | Buffer): Promise<void> {
    if (typeof scheme !== 'string' || scheme === '') throw new InvalidArgumentError('addAuth: scheme must be a non-empty string');
    this.connection.addAuth(scheme, Buffer.isBuffer(credentials) ? credentials : Buffer.from(String(credentials)));
    // The server answers in order: once a later request is answered, the auth was applied.
    return this.exists('/').then(() => undefined);
  }

  /**
   * Starts a transaction: add `create`, `set`, `delete` and `check` steps, then `commit()` to
   * apply all of them atomically, or none.
   */
  transaction(): Transaction {
    return new Transaction({
      run: (spec, options) => this.run(spec, options),
      toServerPath: (path) => this.toServerPath(path),
      toUserPath: (path) => this.toUserPath(path),
      maxRequestBytes: this.options.maxRequestBytes,
    });
  }

  // ---------------------------------------------------------------------------------------------

  private run<T>(spec: OperationSpec<T>, options: CallOptions): Promise<T> {
    const timeoutMs =
      checkCallTimeout(options.timeoutMs, `${spec.name} ${spec.path}`) ??
      this.options.operationTimeoutMs ??
      this.options.sessionTimeoutMs;
    return this.operations.run(spec, timeoutMs, this.options.maxRetries);
  }

  private deleteOne(path: string, version: number, options: CallOptions): Promise<void> {
    const serverPath = this.toServerPath(path);
    return this.run<void>(
      {
        name: 'delete',
        path,
        resendable: version === -1,
        send: (wire, done) => wire.delete(serverPath, version, (error) => done(error)),
      },
      options,
    ).catch((error: unknown) => this.explainConflict(error, path, version, 'data', options));
  }

  /**
   * Rethrows a conditional call's failure; a BadVersionError is made to say the version expected
   * and the one found by a read right after (while the session is live, and if that read works).
   */
  private async explainConflict(error: unknown, path: string, expected: number, of: 'data' | 'acl', options: CallOptions): Promise<never> {
    if (!(error instanceof BadVersionError) || expected === -1) throw error;
    const stat = isLive(this.state) ? await this.exists(path, options).catch(() => null) : null;
    const actual = stat === null ? undefined : of === 'acl' ? stat.aversion : stat.version;
    throw badVersionError(path, expected, actual, { of, cause: error });
  }

  /**
   * Checks a path to be read (or watched), namespace included, against the request size limit:
   * a request over it would cost the connection, so it is refused before sending. Returns the
   * server-side path.
   */
  private checkReadPath(path: string, what: string): string {
    validatePath(path, what);
    const serverPath = this.toServerPath(path);
    checkRequestSize(what, path, readBodyBytes(serverPath), this.options.maxRequestBytes);
    return serverPath;
  }

  private toServerPath(path: string): string {
    const { chroot } = this.options;
    if (!chroot) return path;
    return path === '/' ? chroot : chroot + path;
  }

  private toUserPath(serverPath: string): string {
    const { chroot } = this.options;
    if (!chroot) return serverPath;
    if (serverPath === chroot) return '/';
    return serverPath.startsWith(`${chroot}/`) ? serverPath.slice(chroot.length) : serverPath;
  }

  /** Creates the namespace node (and its parents) whenever a new session starts. */
  private ensureNamespaceOnEverySession(): void {
    const chroot = this.options.chroot;
    this.connection.state$.pipe(filter((s) => s === 'connected')).subscribe(() => {
      const wire = this.connection.live;
      if (wire) createPath(wire, [...ancestorsOf(chroot), chroot]);
    });
  }
}

/** Creates each path in turn. Fire and forget: the server handles requests in order. */
function createPath(wire: WireClient, paths: readonly string[]): void {
  for (const p of paths) {
    // NodeExists is the common answer; any other problem (NoAuth...) shows in the operations
    // under the namespace that follow.
    wire.create(p, null, OPEN_ACL_UNSAFE, 0, {}, () => {});
  }
}

/**
 * Creates a client for the ZooKeeper ensemble at `connectString` (`host:port[,host:port...]`). It
 * returns at once and connects in the background; `await zk.ready()` to wait for the session.
 *
 * ## Example
 * ```ts
 * import { connect } from 'rxzk';
 * const zk = connect('127.0.0.1:2181', { sessionTimeoutMs: 10_000 });
 * await zk.ready({ timeoutMs: 5_000 });
 * console.log(zk.sessionId !== null);
 * await zk.close();
 * // Logs: true
 * ```
 *
 * @throws InvalidArgumentError at once for a malformed connect string or options.
 */
export function connect(connectString: string, options: ConnectOptions = {}): ZkClient {
  return new ZkClient(connectString, options);
}
