/**
 * Typed access to node-zookeeper-client 1.1.3 (pinned), one of rxzk's wires: `NzcWireClient`
 * puts it behind {@link WireClient}, and nothing else of rxzk's sources touches it.
 *
 * Its published types are thin and the adapter needs a few of its internals, so the shapes it
 * relies on are declared here, in one place. Internals used (each checked by the integration tests):
 * - `connectionManager.socket`, to cut a connection that went silent or never finished its
 *   handshake (the library has neither a read timeout nor a handshake deadline), and to hear why
 *   an attempt failed (the library swallows socket errors);
 * - `connectionManager.onSocketData`, wrapped per instance to note when the server last spoke;
 * - `connectionManager.state`/`setState` and `connect`, to retire a client for good after its
 *   session is gone (it would otherwise keep reconnecting with a dead session);
 * - `connectionManager.zxid`, read as the last zxid seen and set from `lastZxidSeen`;
 * - `connectionManager.findNextServer` and `connectTimeoutHandler`, wrapped and cleared so that
 *   rxzk's own connect deadline runs each attempt;
 * - `Exception.create`, which throws on error codes it does not know (e.g. -125, quota
 *   exceeded) from inside the socket handler; it is wrapped to return a plain coded error.
 * - `connectionManager.watcherManager`, its lists of watcher functions per path: a stream that
 *   ends takes its function off them (the library keeps one until its watch fires, and re-arms
 *   every listed path on the server after a reconnect), and a reconnect whose re-registration
 *   would be over the server's request limit empties them (the library would send it in one
 *   packet, which the server refuses by closing the connection, forever).
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { ACL } from '../../model/acl.js';
import { sessionIdHex, type Stat } from '../../model/stat.js';
import type { EventTypeCode } from '../event-types.js';
import type { WireClient } from '../wire-client.js';

const require = createRequire(import.meta.url);

/** A jute `long`: 8 big-endian bytes. */
export type RawLong = Buffer;

export interface RawStat {
  czxid: RawLong;
  mzxid: RawLong;
  ctime: RawLong;
  mtime: RawLong;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: RawLong;
  dataLength: number;
  numChildren: number;
  pzxid: RawLong;
}

export interface RawException extends Error {
  code: number;
  path?: string;
}

export interface RawEvent {
  /** 1 to 4 from the server; `none` (-1) when rxzk tells a watcher its watch is gone. */
  type: EventTypeCode;
  name: string;
  path: string;
}

export interface RawId {
  scheme: string;
  id: string;
}

export interface RawACL {
  permission: number;
  id: RawId;
}

export interface RawState {
  name: string;
  code: number;
}

export type RawWatcher = (event: RawEvent) => void;

export interface RawTransactionOp {
  type: number;
  path: string;
  data?: Buffer;
  acls?: RawACL[];
  mode?: number;
  version?: number;
}

export interface RawTransactionResult {
  type: number;
  path?: string;
  stat?: RawStat;
  err?: number;
}

export interface RawTransaction {
  ops: RawTransactionOp[];
  commit(callback: (error: RawException | null, results?: RawTransactionResult[]) => void): void;
}

/**
 * The library's watcher lists: for each path, an emitter whose `notification` listeners are the
 * watcher functions armed there (each once, until its watch fires).
 */
export interface RawWatcherManager {
  dataWatchers: Record<string, EventEmitter>;
  childWatchers: Record<string, EventEmitter>;
  existenceWatchers: Record<string, EventEmitter>;
}

/** The parts of the library's internal ConnectionManager that rxzk touches. */
export interface RawConnectionManager extends EventEmitter {
  watcherManager: RawWatcherManager;
  state: number;
  /** A `net.Socket`: `connecting` until the TCP connection is up, when the connect request goes out. */
  socket?: {
    destroy(): void;
    readonly connecting?: boolean;
    readonly destroyed?: boolean;
    once(event: 'error', listener: (error: Error) => void): unknown;
  };
  /** The last zxid the client has seen (8 bytes), sent when it reconnects. */
  zxid: Buffer;
  /** Its own timer for a connect attempt, which rxzk's connect deadline replaces. */
  connectTimeoutHandler?: ReturnType<typeof setTimeout> | null;
  findNextServer(callback: (server: unknown) => void): void;
  onSocketData(buffer: Buffer): void;
  setState(state: number): void;
  connect(): void;
}

export interface RawClient extends EventEmitter {
  connectionManager: RawConnectionManager;
  connect(): void;
  close(): void;
  getState(): RawState;
  getSessionId(): Buffer;
  getSessionPassword(): Buffer;
  getSessionTimeout(): number;
  addAuthInfo(scheme: string, auth: Buffer): void;
  create(
    path: string,
    data: Buffer | undefined,
    acls: RawACL[],
    mode: number,
    callback: (error: RawException | null, path?: string) => void,
  ): void;
  remove(path: string, version: number, callback: (error: RawException | null) => void): void;
  exists(
    path: string,
    watcher: RawWatcher | undefined,
    callback: (error: RawException | null, stat?: RawStat | null) => void,
  ): void;
  getData(
    path: string,
    watcher: RawWatcher | undefined,
    callback: (error: RawException | null, data?: Buffer | null, stat?: RawStat) => void,
  ): void;
  setData(
    path: string,
    data: Buffer,
    version: number,
    callback: (error: RawException | null, stat?: RawStat) => void,
  ): void;
  getChildren(
    path: string,
    watcher: RawWatcher | undefined,
    callback: (error: RawException | null, children?: string[], stat?: RawStat) => void,
  ): void;
  getACL(path: string, callback: (error: RawException | null, acls?: RawACL[], stat?: RawStat) => void): void;
  setACL(
    path: string,
    acls: RawACL[],
    version: number,
    callback: (error: RawException | null, stat?: RawStat) => void,
  ): void;
  transaction(): RawTransaction;
}

export interface RawClientOptions {
  sessionTimeout: number;
  spinDelay: number;
  retries: number;
  sessionId?: Buffer;
  sessionPassword?: Buffer;
}

interface RawModule {
  createClient(connectString: string, options: RawClientOptions): RawClient;
  ACL: { new (permission: number, id: RawId): RawACL };
  Id: { new (scheme: string, id: string): RawId };
  Exception: { create(code: number, path?: string): RawException } & Record<string, unknown>;
}

const raw = require('node-zookeeper-client') as RawModule;

/** The library's ConnectionManager states. */
export const RAW_CONNECTION_STATE = {
  DISCONNECTED: 0,
  CONNECTING: 1,
  CONNECTED: 2,
  CONNECTED_READ_ONLY: 3,
  CLOSING: -1,
  CLOSED: -2,
  SESSION_EXPIRED: -3,
  AUTHENTICATION_FAILED: -4,
} as const;

/** Wire op codes rxzk builds requests with. */
export const RAW_OPCODES = {
  CREATE: 1,
  DELETE: 2,
  SET_DATA: 5,
  CHECK: 13,
  ERROR: -1,
} as const;

/** Event types of watch notifications. */
export const RAW_EVENT = {
  /** Not from the server: rxzk tells a watcher its watch is gone (re-read to be current). */
  NONE: -1,
  NODE_CREATED: 1,
  NODE_DELETED: 2,
  NODE_DATA_CHANGED: 3,
  NODE_CHILDREN_CHANGED: 4,
} as const;

/** Error codes rxzk reacts to. */
export const RAW_ERROR = {
  CONNECTION_LOSS: -4,
  NO_NODE: -101,
  NODE_EXISTS: -110,
  SESSION_EXPIRED: -112,
  /** The server no longer knows the session (answered for a session that just ended). */
  UNKNOWN_SESSION: -12,
} as const;

let exceptionPatched = false;

/** Makes `Exception.create` total: unknown codes become coded errors instead of a throw. */
function patchUnknownErrorCodes(): void {
  if (exceptionPatched) return;
  exceptionPatched = true;
  const exception = raw.Exception;
  const original = exception.create.bind(exception);
  exception.create = (code: number, path?: string): RawException => {
    try {
      return original(code, path);
    } catch {
      const error = new Error(`Exception: UNKNOWN[${code}]${path ? `@${path}` : ''}`) as RawException;
      error.name = 'UNKNOWN';
      error.code = code;
      if (path) error.path = path;
      return error;
    }
  };
}

const WATCHER_LISTS = ['dataWatchers', 'childWatchers', 'existenceWatchers'] as const;
const NOTIFICATION = 'notification';

/**
 * Takes `watcher` off every list of `path`: it is no longer called, nor armed again on the server
 * after a reconnect. (The server keeps a watch already armed until it fires or the connection
 * closes; the library then finds no one to tell.)
 */
export function removeWatcher(raw: RawClient, path: string, watcher: RawWatcher): void {
  const manager = raw.connectionManager.watcherManager;
  for (const list of WATCHER_LISTS) {
    const emitter = manager[list][path];
    if (!emitter) continue;
    emitter.removeListener(NOTIFICATION, watcher);
    if (emitter.listenerCount(NOTIFICATION) === 0) delete manager[list][path];
  }
}

/**
 * Bytes of the SetWatches request the library sends on a reconnect to re-arm every listed watch
 * (header included; the 4-byte length prefix not, as the server counts it against
 * `jute.maxbuffer`): xid, type, the last zxid, and three lists of paths.
 */
export function setWatchesBytes(raw: RawClient): number {
  const manager = raw.connectionManager.watcherManager;
  let bytes = 8 + 8;
  for (const list of WATCHER_LISTS) {
    bytes += 4;
    for (const [path, emitter] of Object.entries(manager[list])) {
      if (emitter.listenerCount(NOTIFICATION) > 0) bytes += 4 + Buffer.byteLength(path);
    }
  }
  return bytes;
}

/**
 * Empties every watcher list, so that nothing is armed again on reconnect, and returns each
 * watcher function that was on them (once, with its path).
 */
export function takeAllWatchers(raw: RawClient): Map<RawWatcher, string> {
  const manager = raw.connectionManager.watcherManager;
  const taken = new Map<RawWatcher, string>();
  for (const list of WATCHER_LISTS) {
    for (const [path, emitter] of Object.entries(manager[list])) {
      for (const watcher of emitter.listeners(NOTIFICATION) as RawWatcher[]) taken.set(watcher, path);
    }
    manager[list] = {};
  }
  return taken;
}

/** Creates a raw client (not yet connecting). */
export function createRawClient(connectString: string, options: RawClientOptions): RawClient {
  patchUnknownErrorCodes();
  return raw.createClient(connectString, options);
}

/** Builds an ACL entry in the library's representation. */
export function rawACL(permissions: number, scheme: string, id: string): RawACL {
  return new raw.ACL(permissions, new raw.Id(scheme, id));
}

/** An rxzk ACL in the library's representation. */
export function toRawACL(acl: readonly ACL[]): RawACL[] {
  return acl.map((a) => rawACL(a.perms, a.scheme, a.id));
}

/** The library's ACL entries as rxzk's. */
export function fromRawACL(acl: readonly RawACL[] | undefined): ACL[] {
  return (acl ?? []).map((a) => ({ perms: a.permission, scheme: a.id.scheme, id: a.id.id }));
}

/** Converts the library's stat. */
export function toStat(raw: RawStat): Stat {
  return {
    czxid: raw.czxid.readBigInt64BE(0),
    mzxid: raw.mzxid.readBigInt64BE(0),
    pzxid: raw.pzxid.readBigInt64BE(0),
    ctime: millis(raw.ctime),
    mtime: millis(raw.mtime),
    version: raw.version,
    cversion: raw.cversion,
    aversion: raw.aversion,
    ephemeralOwner: sessionIdHex(raw.ephemeralOwner),
    dataLength: raw.dataLength,
    numChildren: raw.numChildren,
  };
}

/**
 * A jute `long` holding milliseconds since the epoch, as a number. Read as two 32-bit halves: the
 * same value as going through a bigint (exact below 2^53), without allocating one for every read.
 */
function millis(long: Buffer): number {
  return long.readInt32BE(0) * 0x1_0000_0000 + long.readUInt32BE(4);
}
