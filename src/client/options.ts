import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { parseConnectString } from '../admin/connect-string.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { validatePath } from '../paths/validate-path.js';
import { describeValue } from '../model/describe-value.js';
import { MAX_INT32 } from './call-options.js';

/** Credentials to add to every session (`addauth`), e.g. `{ scheme: 'digest', credentials: 'user:secret' }`. */
export interface AuthInfo {
  readonly scheme: string;
  readonly credentials: string | Buffer;
}

/** How one-shot operations are retried. */
export interface RetryOptions {
  /**
   * How many times an operation that failed because the connection dropped is sent again, once
   * the same session is back. Default 3. Sequential creates are never re-sent blindly: a lost
   * reply would leave an orphan node (use a recipe's protected names instead).
   */
  maxRetries?: number;
}

/** Options of {@link connect}. All are optional. */
export interface ConnectOptions {
  /** Session timeout to ask the server for, in ms. The server may grant another within its bounds. Default 30000. */
  sessionTimeoutMs?: number;
  /**
   * How long one connection attempt may take, from opening the socket to the server's session
   * reply, before the next server is tried. Default: the session timeout divided by the number of
   * servers.
   */
  connectTimeoutMs?: number;
  /** How long a one-shot operation may wait for its reply (including time queued while disconnected). Default: the session timeout. */
  operationTimeoutMs?: number;
  /** Retries of one-shot operations on connection loss; `false` for none. Default `{ maxRetries: 3 }`. */
  retry?: RetryOptions | false;
  /** Credentials added to every session before any operation runs. */
  auth?: readonly AuthInfo[];
  /**
   * A namespace: every path is taken relative to it (`/a` means `<chroot>/a` on the server), and
   * the namespace node is created when a session starts if it is missing. A suffix on the connect
   * string (`host:2181/apps/billing`) means the same.
   */
  chroot?: string;
  /**
   * Whether a missing namespace node ({@link chroot}) is created when a session starts. Default
   * `true`. With `false` nothing is ever created for it: reads under a namespace that does not
   * exist find nothing (`NoNodeError`, `null`), as with ZooKeeper's own clients; a read-only tool
   * given a mistyped namespace then leaves no trace.
   */
  createChroot?: boolean;
  /** The server's request size limit (`jute.maxbuffer`) in bytes. Default 1048575. */
  maxRequestBytes?: number;
  /** After every server was tried, wait up to this long (random) before trying again. Default 200. */
  reconnectDelayMs?: number;
  /** Scheduler for every timer of the client (liveness, session clock, deadlines). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /**
   * Which client speaks ZooKeeper's protocol: `'node-zookeeper-client'` (the default, ZooKeeper
   * 3.4's requests) or `'builtin'`, rxzk's own (`src/wire`: 3.4 to 3.9, SetWatches in packets,
   * one write per event-loop turn). The built-in one is not yet the default: a few behaviours
   * differ (it asks the server to drop the watches of a stream that ended, and does not wait out
   * a handshake under way when closed).
   */
  wire?: WireKind;
}

/** The clients that can speak ZooKeeper's protocol for rxzk. */
export type WireKind = 'builtin' | 'node-zookeeper-client';

/** {@link ConnectOptions} with every default filled in. */
export interface ResolvedOptions {
  readonly connectString: string;
  readonly servers: readonly string[];
  readonly sessionTimeoutMs: number;
  readonly connectTimeoutMs: number | undefined;
  readonly operationTimeoutMs: number | undefined;
  readonly maxRetries: number;
  readonly auth: readonly AuthInfo[];
  readonly chroot: string;
  readonly createChroot: boolean;
  readonly maxRequestBytes: number;
  readonly reconnectDelayMs: number;
  readonly scheduler: SchedulerLike;
  readonly wire: WireKind;
}

export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REQUEST_BYTES = 1_048_575;

/** Checks and completes the options; throws {@link InvalidArgumentError} naming the bad one. */
export function resolveOptions(connectString: unknown, options: ConnectOptions = {}): ResolvedOptions {
  // As in ZooKeeper's own clients, a suffix `/path` is a namespace (the chroot option).
  const { servers, namespace: suffix } = parseConnectString(connectString, 'connect');
  if (suffix !== undefined && options.chroot !== undefined) {
    throw new InvalidArgumentError(
      `connect: the namespace is given twice, as ${JSON.stringify(suffix)} in the connect string and as the chroot option`,
    );
  }
  // Every duration here ends up in a timer (which holds at most 2^31 - 1 ms) or in a 32-bit field
  // of the protocol.
  const positive = (name: keyof ConnectOptions, value: unknown, fallback: number | undefined, unit = 'milliseconds') => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_INT32) {
      throw new InvalidArgumentError(
        `connect: ${name} must be a number of ${unit} > 0 and <= ${MAX_INT32}, got ${describeValue(value)}`,
      );
    }
    return value;
  };
  const sessionTimeoutMs = Math.round(positive('sessionTimeoutMs', options.sessionTimeoutMs, DEFAULT_SESSION_TIMEOUT_MS)!);
  const retry = options.retry;
  const maxRetries = retry === false ? 0 : (retry?.maxRetries ?? 3);
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new InvalidArgumentError(`connect: retry.maxRetries must be a whole number >= 0, got ${String(maxRetries)}`);
  }
  let chroot = '';
  const namespace = options.chroot ?? suffix;
  if (namespace !== undefined && namespace !== '/' && namespace !== '') {
    chroot = validatePath(namespace, 'connect: chroot');
  }
  if (options.auth !== undefined && !Array.isArray(options.auth)) {
    throw new InvalidArgumentError(
      `connect: auth must be an array of { scheme, credentials }, got ${describeValue(options.auth)}`,
    );
  }
  for (const auth of options.auth ?? []) {
    if (!auth || typeof auth.scheme !== 'string' || auth.scheme === '') {
      throw new InvalidArgumentError('connect: every auth entry needs a scheme, e.g. { scheme: "digest", credentials: "user:pass" }');
    }
    if (typeof auth.credentials !== 'string' && !Buffer.isBuffer(auth.credentials)) {
      throw new InvalidArgumentError(
        `connect: the ${auth.scheme} auth entry needs credentials (a string or a Buffer), got ${typeof auth.credentials}`,
      );
    }
  }
  const createChroot = options.createChroot ?? true;
  if (typeof createChroot !== 'boolean') {
    throw new InvalidArgumentError(`connect: createChroot must be true or false, got ${describeValue(createChroot)}`);
  }
  const reconnectDelayMs = options.reconnectDelayMs ?? 200;
  if (typeof reconnectDelayMs !== 'number' || !Number.isFinite(reconnectDelayMs) || reconnectDelayMs < 0 || reconnectDelayMs > MAX_INT32) {
    throw new InvalidArgumentError(
      `connect: reconnectDelayMs must be a number of milliseconds >= 0 and <= ${MAX_INT32}, got ${describeValue(reconnectDelayMs)}`,
    );
  }
  const wire = options.wire ?? 'node-zookeeper-client';
  if (wire !== 'builtin' && wire !== 'node-zookeeper-client') {
    throw new InvalidArgumentError(`connect: wire must be 'builtin' or 'node-zookeeper-client', got ${describeValue(wire)}`);
  }
  const maxRequestBytes = positive('maxRequestBytes', options.maxRequestBytes, DEFAULT_MAX_REQUEST_BYTES, 'bytes')!;
  if (!Number.isInteger(maxRequestBytes)) {
    throw new InvalidArgumentError(`connect: maxRequestBytes must be a whole number of bytes, got ${maxRequestBytes}`);
  }
  return {
    connectString: servers.join(','),
    servers,
    sessionTimeoutMs,
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs, undefined),
    operationTimeoutMs: positive('operationTimeoutMs', options.operationTimeoutMs, undefined),
    maxRetries,
    auth: [...(options.auth ?? [])],
    chroot,
    createChroot,
    maxRequestBytes,
    reconnectDelayMs,
    scheduler: options.scheduler ?? asyncScheduler,
    wire,
  };
}
