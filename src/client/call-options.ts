import { InvalidArgumentError } from '../errors/zk-error.js';
import type { ACL } from '../model/acl.js';
import type { CreateMode } from '../model/create-mode.js';
import { describeValue } from '../model/describe-value.js';

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
