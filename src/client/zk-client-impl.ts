import { filter, map, take, type Observable, type SchedulerLike } from 'rxjs';
import { badVersionError, missingParentError, NO_NODE } from './call-errors.js';
import { errorFromCode } from '../errors/from-code.js';
import {
  AuthFailedError,
  BadVersionError,
  ClientClosedError,
  InvalidArgumentError,
  NoNodeError,
  NodeExistsError,
  OperationTimeoutError,
} from '../errors/zk-error.js';
import { checkACL, type ACL } from '../model/acl.js';
import { isLive, type ConnectionState } from '../model/connection-state.js';
import type { Data } from '../model/data.js';
import { toZNode, type Stat, type ZNode } from '../model/stat.js';
import { distinctChildren } from '../operators/distinct-children.js';
import { latestNode, latestStat } from '../operators/latest-node.js';
import { ancestorsOf } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { Connection } from '../session/connection.js';
import { OperationQueue, type OperationSpec } from '../session/operation-queue.js';
import { SESSION_CREDENTIALS, type SessionCredentials } from '../session/session-credentials.js';
import { childrenDataStream } from '../streams/children-data.js';
import { readChildren, readData, readPresence, readStat } from '../streams/node-reads.js';
import { SharedStreams } from '../streams/shared-streams.js';
import type { StreamHost } from '../streams/stream-host.js';
import { treeStream, type TreeOptions } from '../streams/tree-stream.js';
import { watchedNode } from '../streams/watched-node.js';
import { EventType } from '../wire/event-types.js';
import { checkCallTimeout, checkVersion, type CallOptions, type CreateOptions, type ReadyOptions } from './call-options.js';
import { CLIENT_INTERNALS, type ClientInternals } from './internal.js';
import { Namespace } from './namespace.js';
import { resolveOptions, type ConnectOptions, type ResolvedOptions } from './options.js';
import { deleteRecursive } from './recursive-delete.js';
import { createRequest, deleteRequest, setDataRequest } from './requests.js';
import { checkRequestSize, readBodyBytes, setACLBodyBytes } from './request-size.js';
import { TransactionImpl } from './transaction-impl.js';
import type { Transaction } from './transaction.js';
import { wireFactory } from './wire-factory.js';
import type { ZkClient } from './zk-client.js';

/**
 * The {@link ZkClient} that {@link connect} makes: the facade over the session (its connection
 * and operation queue) and the streams. The public type is the interface; this class is not
 * exported from the package.
 */
export class ZkClientImpl implements ZkClient {
  private readonly options: ResolvedOptions;
  private readonly namespace: Namespace;
  private readonly connection: Connection;
  private readonly operations: OperationQueue;
  private readonly streams = new SharedStreams();
  private readonly host: StreamHost;
  private closePromise: Promise<void> | null = null;

  constructor(connectString: string, options: ConnectOptions = {}) {
    this.options = resolveOptions(connectString, options);
    this.namespace = new Namespace(this.options.chroot);
    this.connection = new Connection(this.options, wireFactory(this.options));
    this.operations = new OperationQueue(this.options.scheduler, () => this.connection.live);
    // Subscription order is request order on a new session: the namespace first, then the
    // operations that waited, then the streams' reads.
    if (this.options.chroot && this.options.createChroot) {
      this.namespace.createOnEverySession(this.connection.state$, () => this.connection.live);
    }
    this.connection.state$.subscribe((state) => this.operations.onState(state));
    this.host = {
      state$: this.connection.state$,
      live: () => this.connection.live,
      toServerPath: (path) => this.namespace.toServerPath(path),
      unwatch: (serverPath, watcher) => this.connection.unwatch(serverPath, watcher),
    };
  }

  get state$(): Observable<ConnectionState> {
    return this.connection.state$;
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  get sessionId(): string | null {
    return this.connection.sessionId;
  }

  get sessionTimeoutMs(): number {
    return this.connection.sessionTimeoutMs;
  }

  get lastConnectError(): Error | null {
    return this.connection.lastConnectError;
  }

  get failedConnectAttempts(): number {
    return this.connection.failedConnectAttempts;
  }

  get scheduler(): SchedulerLike {
    return this.options.scheduler;
  }

  get connectString(): string {
    return this.options.connectString;
  }

  /** For rxzk's own modules, through `internal.ts`. */
  get [CLIENT_INTERNALS](): ClientInternals {
    return { closing: this.closePromise !== null, options: this.options };
  }

  /** For `rxzk/testing`'s `expireSession`, through `internal.ts`. */
  [SESSION_CREDENTIALS](): SessionCredentials | null {
    return this.connection.credentials();
  }

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

  close(): Promise<void> {
    this.closePromise ??= this.connection.close(Math.min(this.sessionTimeoutMs, 5_000));
    return this.closePromise;
  }

  // ---------------------------------------------------------------------------------------------
  // Watched streams: each shared per kind and path among every subscriber of this client

  data$(path: string): Observable<ZNode | null> {
    this.checkReadPath(path, 'data$');
    return this.streams.get(`data:${path}`, () =>
      // A delete event says the node is gone: no need to wait for the re-read to say so.
      watchedNode(this.host, path, 'data$', readData(path), (event) => (event.type === EventType.nodeDeleted ? null : undefined)).pipe(
        latestNode(),
      ),
    );
  }

  children$(path: string): Observable<readonly string[] | null> {
    this.checkReadPath(path, 'children$');
    return this.streams.get(`children:${path}`, () => watchedNode(this.host, path, 'children$', readChildren()).pipe(distinctChildren()));
  }

  exists$(path: string): Observable<Stat | null> {
    this.checkReadPath(path, 'exists$');
    return this.streams.get(`exists:${path}`, () => watchedNode(this.host, path, 'exists$', readStat()).pipe(latestStat()));
  }

  tree$(path: string, options: TreeOptions = {}): Observable<ReadonlyMap<string, ZNode>> {
    this.checkReadPath(path, 'tree$');
    const concurrency = options.concurrency ?? 64;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new InvalidArgumentError(`tree$ ${path}: concurrency must be an integer >= 1, got ${String(concurrency)}`);
    }
    return this.streams.get(`tree:${concurrency}:${path}`, () => treeStream(this.host, path, { concurrency }));
  }

  childrenData$(path: string): Observable<ReadonlyMap<string, ZNode>> {
    this.checkReadPath(path, 'childrenData');
    return this.streams.get(`children-data:${path}`, () => childrenDataStream(this.host, path));
  }

  deleted$(path: string): Observable<void> {
    this.checkReadPath(path, 'deleted$');
    return this.streams
      .get(`presence:${path}`, () =>
        // A delete event is a deletion even if the node is re-created before the re-read.
        watchedNode(this.host, path, 'deleted$', readPresence(), (event) => (event.type === EventType.nodeDeleted ? false : undefined)),
      )
      .pipe(
        filter((present) => !present),
        take(1),
        map(() => undefined),
      );
  }

  // ---------------------------------------------------------------------------------------------
  // One-shot operations

  create(path: string, data?: Data | null, options: CreateOptions & CallOptions = {}): Promise<string> {
    const { op } = this.sized(createRequest('create', path, data, options, this.toServerPath), 'create');
    const attempt = () =>
      this.run<string>(
        {
          name: 'create',
          path,
          // A sequential create sent twice makes two nodes: never re-send it blindly.
          resendable: op.mode === 0 || op.mode === 1,
          send: (wire, done) =>
            wire.create(op.path, op.data, op.acl, op.mode, {}, (error, created) =>
              done(error, error ? undefined : this.namespace.toUserPath(created!.path)),
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
        await this.create(ancestor, null, { ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }).catch((e: unknown) => {
          if (!(e instanceof NodeExistsError)) throw e;
        });
      }
      return attempt();
    });
  }

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

  set(path: string, data: Data, options: { version?: number } & CallOptions = {}): Promise<Stat> {
    const { op } = this.sized(setDataRequest('set', path, data, options.version, this.toServerPath), 'set');
    return this.run<Stat>(
      {
        name: 'set',
        path,
        resendable: op.version === -1,
        send: (wire, done) => wire.setData(op.path, op.data, op.version, done),
      },
      options,
    ).catch((error: unknown) => this.explainConflict(error, path, op.version, 'data', options));
  }

  delete(path: string, options: { version?: number; recursive?: boolean } & CallOptions = {}): Promise<void> {
    const { op } = this.sized(deleteRequest('delete', path, options.version, this.toServerPath), 'delete');
    if (options.recursive) {
      return deleteRecursive(
        { getChildren: (p) => this.getChildren(p, options), deleteOne: (p, v) => this.deleteOne(p, v, options) },
        path,
        op.version,
      );
    }
    return this.deleteOne(path, op.version, options);
  }

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

  getACL(path: string, options: CallOptions = {}): Promise<{ acl: ACL[]; stat: Stat }> {
    const serverPath = this.checkReadPath(path, 'getACL');
    return this.run({ name: 'getACL', path, resendable: true, send: (wire, done) => wire.getACL(serverPath, done) }, options);
  }

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

  addAuth(scheme: string, credentials: string | Buffer): Promise<void> {
    if (typeof scheme !== 'string' || scheme === '') throw new InvalidArgumentError('addAuth: scheme must be a non-empty string');
    this.connection.addAuth(scheme, Buffer.isBuffer(credentials) ? credentials : Buffer.from(String(credentials)));
    // The server answers in order: once a later request is answered, the auth was applied.
    return this.exists('/').then(() => undefined);
  }

  transaction(): Transaction {
    return new TransactionImpl({
      run: (spec, options) => this.run(spec, options),
      toServerPath: this.toServerPath,
      toUserPath: (path) => this.namespace.toUserPath(path),
      maxRequestBytes: this.options.maxRequestBytes,
    });
  }

  // ---------------------------------------------------------------------------------------------

  private readonly toServerPath = (path: string): string => this.namespace.toServerPath(path);

  private run<T>(spec: OperationSpec<T>, options: CallOptions): Promise<T> {
    const timeoutMs =
      checkCallTimeout(options.timeoutMs, `${spec.name} ${spec.path}`) ?? this.options.operationTimeoutMs ?? this.options.sessionTimeoutMs;
    return this.operations.run(spec, timeoutMs, this.options.maxRetries);
  }

  /** A write held against the request size limit: one over it would cost the connection. */
  private sized<R extends { readonly path: string; readonly bodyBytes: number }>(request: R, what: string): R {
    checkRequestSize(what, request.path, request.bodyBytes, this.options.maxRequestBytes);
    return request;
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
}
