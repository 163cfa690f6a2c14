import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { UnimplementedError } from '../../errors/zk-error.js';
import type { ACL } from '../../model/acl.js';
import { sessionIdHex, type Stat } from '../../model/stat.js';
import { CreateMode, type CreateModeFlag } from '../create-modes.js';
import { ErrorCode } from '../error-codes.js';
import { EventType, WatcherType, type AddWatchModeCode, type EventTypeCode, type WatcherTypeCode } from '../event-types.js';
import { FEATURE_SINCE, type ServerVersion, type WireFeature } from '../server-version.js';
import type {
  ACLResult,
  ChildrenResult,
  ClientIdentity,
  CreateOptions,
  CreateResult,
  DataResult,
  MultiOp,
  MultiReadOp,
  MultiReadResult,
  MultiResult,
  Watcher,
  WireCallback,
  WireClient,
  WireEvents,
  WireFailure,
  WireSessionOptions,
  WireState,
} from '../wire-client.js';
import { WireError } from '../wire-error.js';
import {
  createRawClient,
  fromRawACL,
  RAW_CONNECTION_STATE,
  RAW_OPCODES,
  removeWatcher,
  setWatchesBytes,
  takeAllWatchers,
  toRawACL,
  toStat,
  type RawACL,
  type RawClient,
  type RawConnectionManager,
  type RawTransactionOp,
  type RawTransactionResult,
} from './raw-client.js';

/** The dynamic configuration node (`ZooDefs.CONFIG_NODE`). */
const CONFIG_NODE = '/zookeeper/config';

/**
 * node-zookeeper-client 1.1.3 behind {@link WireClient}: one session of the library, with what the
 * library lacks added here (every use of its internals is in `raw-client.ts`).
 *
 * - Liveness: if nothing is heard from the server for `readTimeoutMs` (default 2/3 of the session
 *   timeout; the library pings every 1/3), the socket is cut so the library moves on.
 * - A connect deadline (`connectTimeoutMs`): an attempt that opened a socket but got no session
 *   reply in time is cut, so a member that accepts connections but never answers does not hold the
 *   session forever (the library has no handshake deadline).
 * - `connected` once the credentials are in force: the library sends them first and announces the
 *   session at once; here, once a request sent after them is answered.
 * - Watches shed before a reconnect whose re-registration would be over `maxRequestBytes`: the
 *   library sends every watched path in one SetWatches packet, which the server refuses by closing
 *   the connection, at every attempt, forever. Every watcher is told its watch is gone (an event
 *   of type `none`) and is expected to read, and so re-arm, once the session is back. (WireSession
 *   splits SetWatches into packets instead, as the Java client does.)
 * - `destroy()` retires the library's client for good: its reconnect timers can no longer open a
 *   socket, and its own connect timer no longer keeps the process alive.
 *
 * What the library cannot send (ZooKeeper 3.5+ requests: create2, containers, TTL nodes, sync,
 * multiRead, persistent watches, server-side watch removal...) fails with
 * {@link UnimplementedError}, never sent. `removeWatches` takes the watcher off the library's
 * lists only (the server's watch stays until it fires or the connection closes). The library
 * re-sends nothing (`retries: 0`), and queues credentials and SetWatches behind requests made while
 * disconnected (the Java client sends them first).
 */
export class NzcWireClient extends EventEmitter<WireEvents> implements WireClient {
  private readonly raw: RawClient;
  private readonly manager: RawConnectionManager;
  private readonly scheduler: SchedulerLike;
  private readonly servers: number;
  private currentState: WireState = 'idle';
  private hadSession = false;
  /** Credentials given so far: with any, a session is announced only once they are in force. */
  private credentials: number;
  private lastHeard = 0;
  private heardAt = performance.now();
  private currentServer: string | null = null;
  private liveness: Subscription | null = null;
  private connectDeadline: Subscription | null = null;
  /** ACLs as the library takes them, per ACL array (the constants are used again and again). */
  private readonly rawACLs = new WeakMap<readonly ACL[], RawACL[]>();

  /**
   * @param connectString `host:port[,host:port...]` (no namespace: paths given here are the server's).
   * @param scheduler Times liveness, the connect deadline and the close grace.
   */
  constructor(
    connectString: string,
    private readonly options: WireSessionOptions & {
      /** The server's request size limit (`jute.maxbuffer`), for the SetWatches check. Default 1048575. */
      readonly maxRequestBytes?: number;
    } = {},
    scheduler: SchedulerLike = asyncScheduler,
  ) {
    super();
    this.scheduler = scheduler;
    this.credentials = options.auth?.length ?? 0;
    this.servers = connectString.split(',').length;
    this.raw = createRawClient(connectString, {
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      spinDelay: options.reconnectDelayMs ?? 1000,
      // The library would re-send creates blindly after a connection loss; retries are the caller's.
      retries: 0,
      ...(options.sessionId ? { sessionId: options.sessionId, sessionPassword: options.sessionPassword ?? Buffer.alloc(16) } : {}),
    });
    this.manager = this.raw.connectionManager;
    if (options.lastZxidSeen !== undefined) {
      const zxid = Buffer.alloc(8);
      zxid.writeBigInt64BE(BigInt.asIntN(64, options.lastZxidSeen));
      this.manager.zxid = zxid;
    }
    for (const { scheme, auth } of options.auth ?? []) this.raw.addAuthInfo(scheme, auth);
    this.hookConnectionManager();
    this.listen();
  }

  get state(): WireState {
    return this.currentState;
  }

  get sessionId(): Buffer | null {
    return this.hadSession ? this.raw.getSessionId() : null;
  }

  get sessionIdHex(): string | null {
    return this.hadSession ? sessionIdHex(this.raw.getSessionId()) : null;
  }

  get sessionPassword(): Buffer | null {
    return this.hadSession ? this.raw.getSessionPassword() : null;
  }

  get sessionTimeoutMs(): number {
    return this.raw.getSessionTimeout();
  }

  get lastZxid(): bigint {
    return this.manager.zxid.readBigInt64BE(0);
  }

  get readOnly(): boolean {
    return false;
  }

  get server(): string | null {
    return this.currentServer;
  }

  get serverVersion(): ServerVersion | null {
    return null;
  }

  get lastHeardAt(): number {
    return this.heardAt;
  }

  start(): void {
    if (this.currentState !== 'idle') return;
    this.currentState = 'connecting';
    this.raw.connect();
  }

  addAuth(scheme: string, auth: Buffer, callback?: WireCallback<void>): void {
    this.credentials++;
    this.raw.addAuthInfo(scheme, auth);
    if (!callback) return;
    // The library reports nothing for the packet: the server answers in order, so a request sent
    // after it is answered once the credentials were taken (or the session ended on them).
    this.request('exists', '/', callback, (done) => this.raw.exists('/', undefined, (error) => done(error)));
  }

  dropConnection(): void {
    this.manager.socket?.destroy();
  }

  /**
   * Closes the session. A handshake under way is waited for (up to `graceMs`): the server may
   * already have made a session for it, which would otherwise live on, unused, until it expired.
   */
  async close(graceMs = 2000): Promise<void> {
    if (this.isOver() || this.currentState === 'closing') return;
    const announced = this.currentState === 'connected';
    this.currentState = 'closing';
    const manager = this.manager;
    if (!announced && manager.state === RAW_CONNECTION_STATE.CONNECTING && handshakeSent(manager.socket)) {
      await this.within(graceMs, (done) => this.raw.once('connected', done));
    }
    if (manager.state === RAW_CONNECTION_STATE.CONNECTED) {
      await this.within(graceMs, (done) => {
        this.raw.once('disconnected', done);
        this.raw.close();
      });
    }
    this.retire('closed');
    this.emitSafe('closed');
  }

  destroy(): void {
    if (this.isOver()) return;
    this.removeAllListeners();
    this.retire('closed');
  }

  create(
    path: string,
    data: Uint8Array | null,
    acl: readonly ACL[],
    mode: CreateModeFlag,
    options: CreateOptions,
    callback: WireCallback<CreateResult>,
  ): void {
    if (mode === CreateMode.container) return this.unsupported('create', path, 'createContainer', callback);
    if (mode === CreateMode.persistentWithTTL || mode === CreateMode.persistentSequentialWithTTL) {
      return this.unsupported('create', path, 'createTTL', callback);
    }
    if (options.withStat) return this.unsupported('create', path, 'create2', callback);
    const rawACL = this.rawACL(acl);
    this.request('create', path, callback, (done) =>
      this.raw.create(path, toBuffer(data), rawACL, mode, (error, created) =>
        done(error, error ? undefined : { path: created!, stat: null }),
      ),
    );
  }

  delete(path: string, version: number, callback: WireCallback<void>): void {
    this.request('delete', path, callback, (done) => this.raw.remove(path, version, (error) => done(error)));
  }

  exists(path: string, watcher: Watcher | null, callback: WireCallback<Stat | null>): void {
    this.request('exists', path, callback, (done) =>
      this.raw.exists(path, watcher ?? undefined, (error, stat) => done(error, error ? undefined : stat ? toStat(stat) : null)),
    );
  }

  getData(path: string, watcher: Watcher | null, callback: WireCallback<DataResult>): void {
    this.request('getData', path, callback, (done) =>
      this.raw.getData(path, watcher ?? undefined, (error, data, stat) =>
        done(error, error ? undefined : { data: data ?? null, stat: toStat(stat!) }),
      ),
    );
  }

  setData(path: string, data: Uint8Array | null, version: number, callback: WireCallback<Stat>): void {
    this.request('setData', path, callback, (done) =>
      this.raw.setData(path, toBuffer(data) as Buffer, version, (error, stat) => done(error, error ? undefined : toStat(stat!))),
    );
  }

  getChildren(path: string, watcher: Watcher | null, callback: WireCallback<string[]>): void {
    this.request('getChildren', path, callback, (done) =>
      this.raw.getChildren(path, watcher ?? undefined, (error, children) => done(error, error ? undefined : (children ?? []))),
    );
  }

  getChildren2(path: string, watcher: Watcher | null, callback: WireCallback<ChildrenResult>): void {
    // The library sends getChildren2 for every getChildren, and passes the stat on.
    this.request('getChildren2', path, callback, (done) =>
      this.raw.getChildren(path, watcher ?? undefined, (error, children, stat) =>
        done(error, error ? undefined : { children: children ?? [], stat: toStat(stat!) }),
      ),
    );
  }

  getACL(path: string, callback: WireCallback<ACLResult>): void {
    this.request('getACL', path, callback, (done) =>
      this.raw.getACL(path, (error, acl, stat) => done(error, error ? undefined : { acl: fromRawACL(acl), stat: toStat(stat!) })),
    );
  }

  setACL(path: string, acl: readonly ACL[], version: number, callback: WireCallback<Stat>): void {
    const rawACL = this.rawACL(acl);
    this.request('setACL', path, callback, (done) =>
      this.raw.setACL(path, rawACL, version, (error, stat) => done(error, error ? undefined : toStat(stat!))),
    );
  }

  sync(path: string, callback: WireCallback<string>): void {
    this.unsupported('sync', path, 'sync', callback);
  }

  multi(ops: readonly MultiOp[], callback: WireCallback<MultiResult[]>): void {
    const rawOps: RawTransactionOp[] = [];
    for (const op of ops) {
      switch (op.type) {
        case 'create':
          if (op.mode === CreateMode.container) return this.unsupported('multi create', op.path, 'createContainer', callback);
          if (op.mode > CreateMode.ephemeralSequential) return this.unsupported('multi create', op.path, 'createTTL', callback);
          if (op.withStat) return this.unsupported('multi create', op.path, 'create2', callback);
          rawOps.push({ type: RAW_OPCODES.CREATE, path: op.path, ...(op.data ? { data: toBuffer(op.data) } : {}), acls: this.rawACL(op.acl), mode: op.mode });
          break;
        case 'setData':
          rawOps.push({ type: RAW_OPCODES.SET_DATA, path: op.path, ...(op.data ? { data: toBuffer(op.data) } : {}), version: op.version });
          break;
        case 'delete':
          rawOps.push({ type: RAW_OPCODES.DELETE, path: op.path, version: op.version });
          break;
        case 'check':
          rawOps.push({ type: RAW_OPCODES.CHECK, path: op.path, version: op.version });
          break;
      }
    }
    this.request('multi', ops[0]?.path ?? '', callback, (done) => {
      const transaction = this.raw.transaction();
      // The steps go as built here: the library's own builders turn version 0 into -1 ("any").
      transaction.ops = rawOps;
      transaction.commit((error, results) => done(error, results?.map(toMultiResult)));
    });
  }

  multiRead(ops: readonly MultiReadOp[], callback: WireCallback<MultiReadResult[]>): void {
    this.unsupported('multiRead', ops[0]?.path ?? '', 'multiRead', callback);
  }

  addWatch(path: string, _mode: AddWatchModeCode, _watcher: Watcher, callback: WireCallback<void>): void {
    this.unsupported('addWatch', path, 'addWatch', callback);
  }

  /**
   * Takes the watcher (or every watcher of the kind) off the library's lists: it is not called
   * again, nor armed again on the server after a reconnect; it hears a `*WatchRemoved` event. The
   * library cannot ask the server to drop its watch: that stays until it fires or the connection
   * closes, and then the library finds no one to tell.
   */
  removeWatches(path: string, type: WatcherTypeCode, watcher: Watcher | null, callback: WireCallback<void>): void {
    const removed: { watcher: Watcher; type: EventTypeCode }[] = [];
    const lists = this.manager.watcherManager;
    const take = (list: 'dataWatchers' | 'childWatchers' | 'existenceWatchers', event: EventTypeCode) => {
      const emitter = lists[list][path];
      if (!emitter) return;
      for (const listener of emitter.listeners('notification') as Watcher[]) {
        if (watcher === null || listener === watcher) removed.push({ watcher: listener, type: event });
      }
    };
    if (type === WatcherType.data || type === WatcherType.any) {
      take('dataWatchers', EventType.dataWatchRemoved);
      take('existenceWatchers', EventType.dataWatchRemoved);
    }
    if (type === WatcherType.children || type === WatcherType.any) take('childWatchers', EventType.childWatchRemoved);
    for (const { watcher: listener } of removed) removeWatcher(this.raw, path, listener);
    queueMicrotask(() => {
      if (removed.length === 0) return callback(new WireError(ErrorCode.noWatcher, 'removeWatches', path));
      for (const { watcher: listener, type: event } of removed) call(listener, { type: event, path });
      callback(null);
    });
  }

  checkWatches(path: string, _type: WatcherTypeCode, callback: WireCallback<void>): void {
    this.unsupported('checkWatches', path, 'checkWatches', callback);
  }

  getEphemerals(prefix: string, callback: WireCallback<string[]>): void {
    this.unsupported('getEphemerals', prefix, 'getEphemerals', callback);
  }

  getAllChildrenNumber(path: string, callback: WireCallback<number>): void {
    this.unsupported('getAllChildrenNumber', path, 'getAllChildrenNumber', callback);
  }

  whoAmI(callback: WireCallback<ClientIdentity[]>): void {
    this.unsupported('whoAmI', '', 'whoAmI', callback);
  }

  getConfig(watcher: Watcher | null, callback: WireCallback<DataResult>): void {
    this.getData(CONFIG_NODE, watcher, callback);
  }

  // ---- the library's client ----

  /**
   * Hands a request to the library, unless it would answer at once from inside the call (it does
   * once its client is closing or over): then it fails after the call returns, with the code the
   * library would give.
   */
  private request<T>(name: string, path: string, callback: WireCallback<T>, send: (done: WireCallback<T>) => void): void {
    const state = this.manager.state;
    if (state < 0) {
      const code =
        state === RAW_CONNECTION_STATE.SESSION_EXPIRED
          ? ErrorCode.sessionExpired
          : state === RAW_CONNECTION_STATE.AUTHENTICATION_FAILED
            ? ErrorCode.authFailed
            : ErrorCode.connectionLoss;
      queueMicrotask(() => callback(new WireError(code, name, path || undefined)));
      return;
    }
    send(callback as WireCallback<T>);
  }

  private unsupported<T>(name: string, path: string, feature: WireFeature | 'sync', callback: WireCallback<T>): void {
    const at = path ? ` ${path}` : '';
    const error = new UnimplementedError(
      `${name}${at}: node-zookeeper-client does not implement ${feature} (it sends ZooKeeper 3.4's requests only); it was not sent`,
      feature,
      feature === 'sync' ? '3.0.0' : FEATURE_SINCE[feature],
      undefined,
      path ? { path } : {},
    );
    queueMicrotask(() => callback(error as WireFailure));
  }

  private rawACL(acl: readonly ACL[]): RawACL[] {
    let raw = this.rawACLs.get(acl);
    if (!raw) {
      raw = toRawACL(acl);
      this.rawACLs.set(acl, raw);
    }
    return raw;
  }

  /** Wraps the library's connection manager to hear the server, run each attempt, and count failures. */
  private hookConnectionManager(): void {
    const manager = this.manager;
    const onSocketData = manager.onSocketData;
    manager.onSocketData = (buffer: Buffer) => {
      this.lastHeard = this.scheduler.now();
      this.heardAt = performance.now();
      onSocketData.call(manager, buffer);
    };
    const findNextServer = manager.findNextServer;
    manager.findNextServer = (callback) => {
      findNextServer.call(manager, (server: unknown) => {
        // A retired client may still have a reconnect timer pending: it must not open a socket.
        if (this.isOver()) return;
        const address = server as { host?: string; port?: number } | undefined;
        this.currentServer = address?.host !== undefined ? `${address.host}:${String(address.port)}` : null;
        callback(server);
        const socket = manager.socket;
        const attemptServer = this.currentServer ?? '';
        socket?.once('error', (error) => {
          // An error on a connection that had its session is reported by `disconnected`.
          if (manager.state !== RAW_CONNECTION_STATE.CONNECTED && !this.isOver()) {
            this.emitSafe('connectionError', { server: attemptServer, error });
          }
        });
        this.armConnectDeadline(socket, attemptServer);
      });
    };
  }

  private listen(): void {
    const raw = this.raw;
    raw.on('connected', () => {
      if (this.currentState !== 'connecting') return;
      this.connectDeadline?.unsubscribe();
      this.connectDeadline = null;
      this.lastHeard = this.scheduler.now();
      this.watchLiveness();
      const announce = () => {
        if (this.currentState !== 'connecting' || this.manager.state !== RAW_CONNECTION_STATE.CONNECTED) return;
        this.hadSession = true;
        this.currentState = 'connected';
        this.emitSafe('connected', {
          sessionId: sessionIdHex(raw.getSessionId()),
          timeoutMs: raw.getSessionTimeout(),
          readOnly: false,
          server: this.currentServer ?? '',
        });
      };
      if (this.credentials === 0) return announce();
      // The credentials went out first; the server answers in order, so once a later request is
      // answered they were accepted (a rejection ends the session with `authFailed` instead).
      raw.exists('/', undefined, (error) => {
        if (!error) announce();
      });
    });
    raw.on('disconnected', () => {
      if (this.isOver() || this.currentState === 'closing') return;
      this.liveness?.unsubscribe();
      this.liveness = null;
      const wasConnected = this.currentState === 'connected';
      this.currentState = 'connecting';
      const silentForMs = this.scheduler.now() - this.lastHeard;
      if (wasConnected) this.emitSafe('disconnected', { silentForMs, server: this.currentServer ?? '' });
      this.shedWatchesIfTooMany();
    });
    raw.on('expired', () => {
      if (this.isOver() || this.currentState === 'closing') return;
      this.retire('expired');
      this.emitSafe('expired');
    });
    raw.on('authenticationFailed', () => {
      if (this.isOver() || this.currentState === 'closing') return;
      this.retire('auth-failed');
      this.emitSafe('authFailed', { scheme: this.options.auth?.[0]?.scheme ?? '' });
    });
  }

  /**
   * Before the library reconnects, which re-arms every watch in one SetWatches request: if that
   * request would be over the server's limit, the server would close the connection at once, and
   * again at every attempt, forever. Then nothing is re-armed: every watcher is told its watch is
   * gone (an event of type `none`), to read again, re-arming, once the session is back. (The Java
   * client splits SetWatches into packets instead; kazoo never sends it.)
   */
  private shedWatchesIfTooMany(): void {
    if (setWatchesBytes(this.raw) <= (this.options.maxRequestBytes ?? 1_048_575)) return;
    for (const [watcher, path] of takeAllWatchers(this.raw)) call(watcher as Watcher, { type: EventType.none, path });
  }

  /** Cuts the socket if the server has said nothing for the read timeout (2/3 of the session timeout). */
  private watchLiveness(): void {
    const readTimeout = this.options.readTimeoutMs ?? Math.floor((this.raw.getSessionTimeout() * 2) / 3);
    const checkIn = (delay: number) => {
      this.liveness = this.scheduler.schedule(() => {
        if (this.isOver()) return;
        const silentFor = this.scheduler.now() - this.lastHeard;
        if (silentFor >= readTimeout) {
          this.liveness = null;
          this.manager.socket?.destroy();
        } else {
          checkIn(readTimeout - silentFor);
        }
      }, delay);
    };
    this.liveness?.unsubscribe();
    checkIn(readTimeout);
  }

  /** Cuts an attempt that got no session reply in time, and reports it as a failed attempt. */
  private armConnectDeadline(socket: RawConnectionManager['socket'], server: string): void {
    if (!socket) return;
    const timeout = this.options.connectTimeoutMs ?? Math.max(500, Math.floor(this.raw.getSessionTimeout() / this.servers));
    this.connectDeadline?.unsubscribe();
    this.connectDeadline = this.scheduler.schedule(() => {
      this.connectDeadline = null;
      if (this.manager.socket === socket && this.manager.state !== RAW_CONNECTION_STATE.CONNECTED && !this.isOver()) {
        this.emitSafe('connectionError', { server, error: new Error(`no session reply within ${timeout} ms`) });
        socket.destroy();
      }
    }, timeout);
  }

  /** Resolves when `start` calls its callback, or after `ms`, whichever comes first. */
  private within(ms: number, start: (done: () => void) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = this.scheduler.schedule(() => resolve(), ms);
      start(() => {
        timer.unsubscribe();
        resolve();
      });
    });
  }

  /** Stops the library's client for good: no reconnects, no events, its socket closed. */
  private retire(state: 'closed' | 'expired' | 'auth-failed'): void {
    this.currentState = state;
    this.raw.removeAllListeners();
    this.liveness?.unsubscribe();
    this.liveness = null;
    this.connectDeadline?.unsubscribe();
    this.connectDeadline = null;
    const manager = this.manager;
    manager.connect = () => {};
    // Its own TCP connect timer would keep the process alive for nothing.
    if (manager.connectTimeoutHandler) clearTimeout(manager.connectTimeoutHandler);
    manager.setState(RAW_CONNECTION_STATE.CLOSED);
    manager.socket?.destroy();
  }

  private isOver(): boolean {
    const state = this.currentState;
    return state === 'closed' || state === 'expired' || state === 'auth-failed';
  }

  private emitSafe<K extends keyof WireEvents>(event: K, ...args: WireEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: WireEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

/** Runs a watcher; what it throws is re-thrown on its own, out of the library's socket handler. */
function call(watcher: Watcher, event: Parameters<Watcher>[0]): void {
  try {
    watcher(event);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/** Bytes as the library takes them (it ignores anything but a Buffer). */
function toBuffer(data: Uint8Array | null): Buffer | undefined {
  if (data === null) return undefined;
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function toMultiResult(raw: RawTransactionResult): MultiResult {
  switch (raw.type) {
    case RAW_OPCODES.CREATE:
      return { type: 'create', path: raw.path!, stat: null };
    case RAW_OPCODES.SET_DATA:
      return { type: 'setData', stat: toStat(raw.stat!) };
    case RAW_OPCODES.DELETE:
      return { type: 'delete' };
    case RAW_OPCODES.CHECK:
      return { type: 'check' };
    default:
      return { type: 'error', code: raw.err ?? ErrorCode.systemError };
  }
}

/** Whether a socket is open to a server, so that the library has sent its connect request. */
function handshakeSent(socket: RawConnectionManager['socket']): boolean {
  return socket !== undefined && socket.connecting === false && socket.destroyed !== true;
}
