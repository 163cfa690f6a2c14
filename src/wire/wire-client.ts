import type { ConnectionOptions } from 'node:tls';
import type { ACL } from '../model/acl.js';
import type { Stat } from '../model/stat.js';
import type { CreateModeFlag } from './create-modes.js';
import type { AddWatchModeCode, EventTypeCode, WatcherTypeCode } from './event-types.js';
import type { ServerVersion } from './server-version.js';

/**
 * The ZooKeeper session as the rest of rxzk talks to it: one session over one connection at a
 * time. Two implement it: `WireSession`, the protocol written for rxzk, and `NzcWireClient`,
 * node-zookeeper-client 1.1.3 behind an adapter. The session layer (`Connection`,
 * `OperationQueue`), the streams and transactions know only this interface; `connect()` picks the
 * implementation.
 *
 * ## Every capability, in node-zookeeper-client (`nzc/`) and here
 *
 * | node-zookeeper-client, as `NzcWireClient` uses it | here |
 * | --- | --- |
 * | `createRawClient(cs, { sessionTimeout, spinDelay, retries: 0 })`, `connect()` | `new WireSession(servers, { sessionTimeoutMs, reconnectDelayMs })`, {@link start} (a request is never re-sent by the wire) |
 * | events `connected`, `disconnected`, `expired`, `authenticationFailed` | {@link WireEvents}: `connected`, `disconnected`, `expired`, `authFailed` (plus `connectionError`, `closed`) |
 * | `getSessionId()`, `getSessionPassword()`, `getSessionTimeout()` | {@link sessionId}, {@link sessionPassword}, {@link sessionTimeoutMs} |
 * | `connectionManager.zxid`, read after `lost` and written into the next client | {@link lastZxid}; option `lastZxidSeen` |
 * | `connectionManager.socket.destroy()` (liveness, connect deadline, `dropConnection` of `expireSession`) | {@link dropConnection}; options `connectTimeoutMs`, `readTimeoutMs` (both enforced by either, as ClientCnxn does) |
 * | `onSocketData` wrapped to note when the server last spoke | {@link lastHeardAt}; `disconnected` carries `silentForMs` |
 * | `findNextServer` / `connectTimeoutHandler` wrapped per attempt | `connectTimeoutMs` (per attempt); a failed attempt is `connectionError` |
 * | `connectionManager.state === CONNECTED` | {@link state} |
 * | retiring a client (`setState(CLOSED)`, `connect = noop`, socket destroyed) | {@link destroy} |
 * | `close()` then waiting for `disconnected` | `await` {@link close} |
 * | `Exception.create` patched for unknown codes | any code reaches the callback as {@link WireFailure} `{ code }` |
 * | `addAuthInfo(scheme, auth)` (before connect and live); `connected` held until a later request is answered | {@link addAuth}, with an optional callback for the server's answer; `connected` only once the credentials are in force |
 * | `create` / `remove` / `exists` / `getData` / `setData` / `getChildren` / `getACL` / `setACL` with `(error, ...)` callbacks | same names (`delete` for `remove`), each with one `(error, result)` callback; stats and ACLs as rxzk's `Stat` and `ACL` |
 * | watcher functions, one entry per function per path | the same: a function registered twice on a path and kind is called once |
 * | `watcherManager` lists emptied of a stream's watcher | {@link removeWatches} (WireSession also asks the server to drop its watch) |
 * | SetWatches over `jute.maxbuffer`: every watch shed first (`none` events) | SetWatches in packets of at most 128 KiB |
 * | `transaction().commit((error, results))` | {@link multi}: on a failed step both the error and every step's result |
 * | `RAW_OPCODES`, `RAW_EVENT`, `RAW_ERROR` | `OpCode`, `EventType`, `ErrorCode` |
 * | no sync, create2, containers, TTL, multiRead, persistent watches, getEphemerals, getAllChildrenNumber, whoAmI | the same names; `NzcWireClient` fails them with `UnimplementedError`, unsent |
 *
 * ## Contract
 * - Every callback is called exactly once, never from inside the call that was given it.
 * - Requests made while there is no connection wait, and are sent in order after the next
 *   handshake, behind the credentials and the watch re-registration (as ClientCnxn does).
 *   Requests in flight when a connection drops fail with `connectionLoss` (-4); none is re-sent.
 * - Watches are re-registered on every connection. The server tells a one-shot watch what it
 *   missed meanwhile (it compares zxids); a persistent watch hears only what happens once the
 *   server has it back, which the reply to any request made after `connected` guarantees.
 * - After `expired`, every request fails with `sessionExpired` (-112); after `authFailed`, with
 *   `authFailed` (-115); after {@link close} or {@link destroy}, with `sessionExpired` (the
 *   Java client's answer once closed). The session never reconnects after any of these.
 * - A request the connected server is known not to implement fails with `UnimplementedError`
 *   (code -6) without being sent; see {@link serverVersion}.
 * - A protocol error (garbage frame, reply out of order, frame over `maxPacketBytes`, unknown
 *   event type) costs the connection, reported as `connectionError`, then `disconnected`: the
 *   session goes on over a new connection. It never throws out of a socket handler.
 * - An exception thrown by a callback, watcher or listener does not disturb the session: it is
 *   re-thrown on its own (an uncaught exception, as an EventEmitter listener's would be).
 */
export interface WireClient {
  /** Where the session is; see {@link WireState}. */
  readonly state: WireState;
  /** The current session's id (8 bytes), `null` before the first session. */
  readonly sessionId: Buffer | null;
  /** The current session's id as lower-case hex (as `Stat.ephemeralOwner` shows it), `null` before the first session. */
  readonly sessionIdHex: string | null;
  /** The current session's password (16 bytes), `null` before the first session. */
  readonly sessionPassword: Buffer | null;
  /** The session timeout the server granted, or the one asked for before it granted one. */
  readonly sessionTimeoutMs: number;
  /** The last zxid the server answered with: sent with every reconnect, so that no server serves older state. */
  readonly lastZxid: bigint;
  /**
   * Whether the current connection is to a read-only server (only with `canBeReadOnly`). Unlike
   * ClientCnxn, the session does not yet look for a read-write server meanwhile: it moves on
   * when this connection drops.
   */
  readonly readOnly: boolean;
  /** `host:port` of the current connection, or of the attempt in progress; `null` when there is none. */
  readonly server: string | null;
  /**
   * The version of the server of the current connection: the `serverVersion` option, or what
   * `srvr` answered (asked once per connection, in parallel with the handshake). `null` while
   * unknown: requests that need more than 3.4 then wait for the answer, and are sent if none
   * comes (as the Java client, which never asks, would send them).
   */
  readonly serverVersion: ServerVersion | null;
  /** `performance.now()` when the server last sent anything. */
  readonly lastHeardAt: number;

  /** Starts connecting (once; later calls do nothing). */
  start(): void;
  /**
   * Adds credentials to this session: sent now if connected, and first thing on every later
   * connection. `callback` hears the server's answer to this packet: `null`, `authFailed` (then
   * the session is over), or `connectionLoss` (the credentials are still sent on the next connection).
   */
  addAuth(scheme: string, auth: Buffer, callback?: WireCallback<void>): void;
  /** Cuts the current connection, as a network failure would; the session reconnects. */
  dropConnection(): void;
  /**
   * Closes the session (its ephemeral nodes go): sends closeSession if connected and waits for
   * its answer, at most `graceMs` (default 2000). Requests made before it are answered first.
   */
  close(graceMs?: number): Promise<void>;
  /** Stops at once for good: no closeSession, no more events, no reconnect; pending callbacks fail. */
  destroy(): void;

  on<K extends keyof WireEvents>(event: K, listener: (...args: WireEvents[K]) => void): this;
  once<K extends keyof WireEvents>(event: K, listener: (...args: WireEvents[K]) => void): this;
  off<K extends keyof WireEvents>(event: K, listener: (...args: WireEvents[K]) => void): this;

  /**
   * Creates a node. `mode` picks the request type as the Java client does (a container as
   * createContainer, a TTL mode as createTTL with `ttlMs`, otherwise create2 with `withStat` and
   * create without); the result's `stat` is null for a plain create.
   */
  create(
    path: string,
    data: Uint8Array | null,
    acl: readonly ACL[],
    mode: CreateModeFlag,
    options: CreateOptions,
    callback: WireCallback<CreateResult>,
  ): void;
  /** Deletes a node at `version` (-1: any). */
  delete(path: string, version: number, callback: WireCallback<void>): void;
  /**
   * The node's stat, or null if it does not exist (not an error). `watcher` is armed on success
   * as a data watch, on a missing node as an exists watch (fires when it is created).
   */
  exists(path: string, watcher: Watcher | null, callback: WireCallback<Stat | null>): void;
  /** The node's data and stat; `watcher` is armed only if the node exists. */
  getData(path: string, watcher: Watcher | null, callback: WireCallback<DataResult>): void;
  setData(path: string, data: Uint8Array | null, version: number, callback: WireCallback<Stat>): void;
  /** The node's child names, in the server's order; `watcher` (a child watch) only if it exists. */
  getChildren(path: string, watcher: Watcher | null, callback: WireCallback<string[]>): void;
  /** getChildren with the node's stat (getChildren2). */
  getChildren2(path: string, watcher: Watcher | null, callback: WireCallback<ChildrenResult>): void;
  getACL(path: string, callback: WireCallback<ACLResult>): void;
  setACL(path: string, acl: readonly ACL[], version: number, callback: WireCallback<Stat>): void;
  /** Makes the connected server catch up with the leader on `path`; the result is the path. */
  sync(path: string, callback: WireCallback<string>): void;
  /**
   * All steps or none. On a failed step the callback gets that step's error and every step's
   * result (`{ type: 'error', code }`: 0 for the steps before it, -2 for those after).
   */
  multi(ops: readonly MultiOp[], callback: WireCallback<MultiResult[]>): void;
  /** Several reads in one round trip (3.6+); a step's failure is its result, not the call's. */
  multiRead(ops: readonly MultiReadOp[], callback: WireCallback<MultiReadResult[]>): void;
  /**
   * A persistent watch on `path` (3.6+), or on `path` and every node under it
   * (`AddWatchMode.persistentRecursive`; no child events there, as the server sends none).
   * It stays until removed and is re-registered on every connection.
   */
  addWatch(path: string, mode: AddWatchModeCode, watcher: Watcher, callback: WireCallback<void>): void;
  /**
   * Removes watches of `type` on `path` (3.5+): `watcher` only, or every watcher of that kind if
   * null. It is removed here at once (it hears nothing more but a `*WatchRemoved` event, when the
   * server has answered); the server is asked to drop its watch only once no watcher of the kind
   * is left on the path (the Java client leaves the server's watch in place when it removes one
   * watcher). When nothing at all is left on the path, that is one `any` request, which every
   * server since 3.5 takes; a persistent kind alone needs 3.9. `noWatcher` (-121) if there was none.
   */
  removeWatches(path: string, type: WatcherTypeCode, watcher: Watcher | null, callback: WireCallback<void>): void;
  /** Asks the server whether it holds a watch of `type` on `path` for this session (3.5+): `noWatcher` if not. */
  checkWatches(path: string, type: WatcherTypeCode, callback: WireCallback<void>): void;
  /** This session's ephemeral nodes whose paths start with `prefix` (3.6+). */
  getEphemerals(prefix: string, callback: WireCallback<string[]>): void;
  /** How many nodes are under `path`, counted by the server (3.6+). */
  getAllChildrenNumber(path: string, callback: WireCallback<number>): void;
  /** The identities this session is authenticated as (3.7+). */
  whoAmI(callback: WireCallback<ClientIdentity[]>): void;
  /** The ensemble's dynamic configuration (`/zookeeper/config`, 3.5+). */
  getConfig(watcher: Watcher | null, callback: WireCallback<DataResult>): void;
}

/**
 * - `idle`: not started.
 * - `connecting`: no connection with a session (before the first, or between two).
 * - `connected`: a connection with the session; requests flow.
 * - `read-only`: connected to a read-only server (`canBeReadOnly`); reads only.
 * - `closing`: {@link WireClient.close} is waiting for the server.
 * - `closed`, `expired`, `auth-failed`: over for good.
 */
export type WireState = 'idle' | 'connecting' | 'connected' | 'read-only' | 'closing' | 'closed' | 'expired' | 'auth-failed';

/** The events of a {@link WireClient}, with their arguments. */
export interface WireEvents {
  /**
   * The handshake is done and every credential sent ahead of the requests was accepted (the Java
   * client announces SyncConnected before the credentials are answered; rxzk announces a session
   * only once its credentials are in force). Requests made earlier are already on their way.
   */
  connected: [WireConnected];
  /** A connection with the session dropped; the session reconnects by itself. */
  disconnected: [WireDisconnected];
  /** The server said the session is gone (on a reconnect). Final. */
  expired: [];
  /** The server rejected credentials. Final. */
  authFailed: [{ readonly scheme: string }];
  /** A connection attempt or a connection failed (refused, timed out, protocol error...). Informational. */
  connectionError: [{ readonly server: string; readonly error: Error }];
  /** {@link WireClient.close} is done ({@link WireClient.destroy} emits nothing). Final. */
  closed: [];
}

export interface WireConnected {
  readonly sessionId: string;
  readonly timeoutMs: number;
  readonly readOnly: boolean;
  readonly server: string;
}

export interface WireDisconnected {
  /** How long the server had been silent when the connection dropped. */
  readonly silentForMs: number;
  readonly server: string;
}

/** `error` is set on failure; `result` on success, and for a failed multi. */
export type WireCallback<T> = (error: WireFailure | null, result?: T) => void;

/** What a failed request reports: ZooKeeper's code, and the path when it was about one. */
export type WireFailure = Error & { readonly code: number; readonly path?: string | undefined };

/** A watch event. */
export interface WatchEvent {
  /** One of {@link EventType}'s codes. */
  readonly type: EventTypeCode;
  /** The server path of the node it is about. */
  readonly path: string;
}

export type Watcher = (event: WatchEvent) => void;

export interface CreateOptions {
  /** For the TTL modes: the node's time to live, 1 to `MAX_TTL_MS`. */
  readonly ttlMs?: number;
  /** Get the new node's stat (create2, 3.5+). Containers and TTL nodes always come with it. */
  readonly withStat?: boolean;
}

export interface CreateResult {
  /** The created node's path (with its sequence number, for a sequential mode). */
  readonly path: string;
  readonly stat: Stat | null;
}

export interface DataResult {
  /** null if the node holds none (as opposed to an empty one). */
  readonly data: Buffer | null;
  readonly stat: Stat;
}

export interface ChildrenResult {
  readonly children: string[];
  readonly stat: Stat;
}

export interface ACLResult {
  readonly acl: ACL[];
  readonly stat: Stat;
}

/** An identity of the session, as whoAmI reports it (`ClientInfo`). */
export interface ClientIdentity {
  readonly scheme: string;
  readonly id: string;
}

/** A step of a {@link WireClient.multi}. */
export type MultiOp =
  | {
      readonly type: 'create';
      readonly path: string;
      readonly data: Uint8Array | null;
      readonly acl: readonly ACL[];
      readonly mode: CreateModeFlag;
      readonly ttlMs?: number;
      /**
       * Send the step as create2. Servers before 3.9 answer it as a plain create, without the
       * stat (ZOOKEEPER-4026); containers and TTL nodes come with it from 3.5.
       */
      readonly withStat?: boolean;
    }
  | { readonly type: 'delete'; readonly path: string; readonly version: number }
  | { readonly type: 'setData'; readonly path: string; readonly data: Uint8Array | null; readonly version: number }
  | { readonly type: 'check'; readonly path: string; readonly version: number };

export type MultiResult =
  | { readonly type: 'create'; readonly path: string; readonly stat: Stat | null }
  | { readonly type: 'delete' }
  | { readonly type: 'setData'; readonly stat: Stat }
  | { readonly type: 'check' }
  | { readonly type: 'error'; readonly code: number };

/** A step of a {@link WireClient.multiRead}. */
export type MultiReadOp = { readonly type: 'getData'; readonly path: string } | { readonly type: 'getChildren'; readonly path: string };

export type MultiReadResult =
  | { readonly type: 'getData'; readonly data: Buffer | null; readonly stat: Stat }
  | { readonly type: 'getChildren'; readonly children: string[] }
  | { readonly type: 'error'; readonly code: number };

/** Options of a `WireSession`. */
export interface WireSessionOptions {
  /** The session timeout to ask for; the server grants one within its bounds. Default 30000. */
  sessionTimeoutMs?: number;
  /**
   * How long one connection attempt (TCP, TLS and handshake) may take. Default: the session
   * timeout divided by the number of servers (ClientCnxn's `connectTimeout`).
   */
  connectTimeoutMs?: number;
  /**
   * A connection from which nothing was heard for this long is cut. Default: 2/3 of the granted
   * session timeout (ClientCnxn's `readTimeout`); pings go out after 1/3 without a request.
   */
  readTimeoutMs?: number;
  /** Wait after every server was tried without success, before the next round. Default 1000 (ClientCnxn's spin delay). */
  reconnectDelayMs?: number;
  /**
   * Wait a random time up to this before each reconnect, so that the clients of a failed server
   * do not all come back at once. Default 1000 (ClientCnxn sleeps up to 1 s).
   */
  reconnectJitterMs?: number;
  /** Attach to an existing session (8 bytes) instead of starting one; with `sessionPassword`. */
  sessionId?: Buffer;
  sessionPassword?: Buffer;
  /** The last zxid an earlier session saw: no server older than it will take this session. */
  lastZxidSeen?: bigint;
  /** Accept a read-only server (a partitioned minority member) when no other is reachable. */
  canBeReadOnly?: boolean;
  /** Credentials sent first on every connection. */
  auth?: readonly { readonly scheme: string; readonly auth: Buffer }[];
  /** Connect with TLS (a server's secure client port), with these options. */
  tls?: ConnectionOptions;
  /**
   * The largest frame accepted from the server (ClientCnxn's `jute.maxbuffer`, default 0xfffff);
   * a longer one is a protocol error.
   */
  maxPacketBytes?: number;
  /**
   * The servers' version, e.g. `'3.4.14'`, if known: then `srvr` is not asked. `false`: never ask
   * and never refuse a request locally (the Java client's way).
   */
  serverVersion?: string | false;
  /** Order the servers are tried in. Default `'shuffle'` (ClientCnxn's StaticHostProvider shuffles them). */
  serverOrder?: 'shuffle' | 'given';
}
