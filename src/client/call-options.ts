import { InvalidArgumentError } from '../errors/zk-error.js';
import type { ACL } from './acl.js';

/** How a node is created. Sequential modes append a 10-digit counter to the name. */
export type CreateMode = 'persistent' | 'ephemeral' | 'persistent-sequential' | 'ephemeral-sequential';

export const CREATE_MODES: Record<CreateMode, number> = {
  persistent: 0,
  ephemeral: 1,
  'persistent-sequential': 2,
  'ephemeral-sequential': 3,
};

/** Node data: bytes, or a string (encoded as UTF-8). */
export type Data = Buffer | Uint8Array | string;

/** Options of {@link ZkClient.create}. */
export interface CreateOptions {
  /** Default `'persistent'`. */
  mode?: CreateMode;
  /** Default {@link OPEN_ACL_UNSAFE}. */
  acl?: readonly ACL[];
  /** Create missing parents (persistent, empty) first. Default false. */
  parents?: boolean;
}

/** Per-call options of one-shot operations. */
export interface CallOptions {
  /** Overrides the client's `operationTimeoutMs` for this call. */
  timeoutMs?: number;
}

/** Options of {@link ZkClient.ready}. */
export interface ReadyOptions {
  /** Reject with {@link OperationTimeoutError} if there is no session by then. Default 15000. */
  timeoutMs?: number;
}

/**
 * The longest delay a timer can hold (setTimeout's limit, 2^31 - 1 ms, about 24.8 days): a
 * longer one fires after 1 ms. Also the largest value of ZooKeeper's 32-bit fields.
 */
export const MAX_INT32 = 2 ** 31 - 1;

export function toBuffer(data: Data | undefined | null, what: string): Buffer | undefined {
  if (data === undefined || data === null) return undefined;
  if (Buffer.isBuffer(data)) return data;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const kind = ArrayBuffer.isView(data) ? (data as ArrayBufferView).constructor.name : describeValue(data);
  const hint = ArrayBuffer.isView(data)
    ? ' (for its raw bytes, pass Buffer.from(view.buffer, view.byteOffset, view.byteLength))'
    : '';
  throw new InvalidArgumentError(`${what}: data must be a Buffer, a Uint8Array or a string, got ${kind}${hint}`);
}

/** A node version to check against: -1 (any version, the default) or a version ZooKeeper can hold. */
export function checkVersion(version: number | undefined, what: string): number {
  if (version === undefined) return -1;
  if (!Number.isInteger(version) || version < -1 || version > MAX_INT32) {
    throw new InvalidArgumentError(
      `${what}: version must be a whole number from -1 to ${MAX_INT32} (or omitted), got ${describeValue(version)}`,
    );
  }
  return version;
}

/**
 * A per-call `timeoutMs`: undefined, or a number of milliseconds > 0 that a timer can hold.
 * Returns it.
 */
export function checkCallTimeout(timeoutMs: unknown, what: string): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_INT32) {
    throw new InvalidArgumentError(
      `${what}: timeoutMs must be a number of milliseconds > 0 and <= ${MAX_INT32}, got ${describeValue(timeoutMs)}`,
    );
  }
  return timeoutMs;
}

/** A value as a message shows it: strings quoted, objects by their kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value === 'object') return value.constructor?.name && value.constructor !== Object ? value.constructor.name : 'an object';
  return String(value);
}

