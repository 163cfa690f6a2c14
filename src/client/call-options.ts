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

export function toBuffer(data: Data | undefined | null, what: string): Buffer | undefined {
  if (data === undefined || data === null) return undefined;
  if (Buffer.isBuffer(data)) return data;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new InvalidArgumentError(`${what}: data must be a Buffer, Uint8Array or string, got ${typeof data}`);
}

export function checkVersion(version: number | undefined, what: string): number {
  if (version === undefined) return -1;
  if (!Number.isInteger(version) || version < -1) {
    throw new InvalidArgumentError(`${what}: version must be a whole number >= -1 (or omitted), got ${String(version)}`);
  }
  return version;
}

