import { InvalidArgumentError } from '../errors/zk-error.js';
import { isKnownCreateMode, isTTLMode, MAX_TTL_MS } from './create-modes.js';

/*
 * The checks a WireSession makes at the call: a caller's mistake throws InvalidArgumentError
 * there, naming the operation, the path and what is wrong, and nothing is sent.
 */

export function checkCount(option: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > 0x7fff_ffff) {
    throw new InvalidArgumentError(`WireSession: ${option} must be an integer from ${min} to 2147483647, got ${String(value)}`);
  }
}

export function checkPath(operation: string, path: string): void {
  if (typeof path !== 'string') throw new InvalidArgumentError(`${operation}: path must be a string, got ${typeof path}`);
}

export function checkVersion(operation: string, path: string, version: number): number {
  if (!Number.isInteger(version) || version < -1 || version > 0x7fff_ffff) {
    throw new InvalidArgumentError(`${operation} ${path}: version must be an integer from -1 (any) to 2147483647, got ${String(version)}`);
  }
  return version;
}

export function checkData(operation: string, path: string, data: Uint8Array | null): Uint8Array | null {
  if (data !== null && !(data instanceof Uint8Array)) {
    throw new InvalidArgumentError(`${operation} ${path}: data must be a Buffer, a Uint8Array or null`);
  }
  return data;
}

/** Checks a create's mode and TTL as ZooKeeper's EphemeralType.validateTTL does; returns the TTL to send. */
export function checkCreate(operation: string, path: string, mode: number, ttlMs: number | undefined): number {
  if (!isKnownCreateMode(mode)) throw new InvalidArgumentError(`${operation} ${path}: unknown create mode ${String(mode)} (0 to 6)`);
  if (isTTLMode(mode)) {
    if (ttlMs === undefined || !Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_TTL_MS) {
      throw new InvalidArgumentError(`${operation} ${path}: a TTL mode needs ttlMs, an integer from 1 to ${MAX_TTL_MS}, got ${String(ttlMs)}`);
    }
    return ttlMs;
  }
  if (ttlMs !== undefined) throw new InvalidArgumentError(`${operation} ${path}: ttlMs is only for the TTL modes (5, 6), not mode ${mode}`);
  return 0;
}

export function checkWatcherType(operation: string, path: string, type: number): void {
  if (!Number.isInteger(type) || type < 1 || type > 5) {
    throw new InvalidArgumentError(`${operation} ${path}: watcher type must be 1 (children), 2 (data), 3 (any), 4 (persistent) or 5 (persistent recursive), got ${String(type)}`);
  }
}
