/**
 * The checks of the recipes' arguments, each written once, all with one message shape:
 * `<what>: <name> must be <rule>, got <value>`, where `what` names the call (and its path, where
 * the call has one). Each takes the value first, then `what`, then the argument's name where it
 * varies, and returns the value as checked.
 */
import { describeValue } from '../model/describe-value.js';
import { InvalidArgumentError } from '../errors/zk-error.js';

function invalid(what: string, name: string, rule: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`${what}: ${name} must be ${rule}, got ${describeValue(value)}`);
}

/** Any other rule: `ok` says whether `value` keeps it. */
export function checkArgument(ok: boolean, value: unknown, what: string, name: string, rule: string): void {
  if (!ok) throw invalid(what, name, rule, value);
}

/** An optional `timeoutMs`: a number of milliseconds >= 0. */
export function checkTimeout(timeoutMs: unknown, what: string): number | undefined {
  return timeoutMs === undefined ? undefined : requireTimeout(timeoutMs, what);
}

/** A `timeoutMs` that must be given: a number of milliseconds >= 0. */
export function requireTimeout(timeoutMs: unknown, what: string): number {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw invalid(what, 'timeoutMs', 'a number of milliseconds >= 0', timeoutMs);
  }
  return timeoutMs;
}

/** A participant's id, a host name: a non-empty string. */
export function checkNonEmptyString(value: unknown, what: string, name: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(what, name, 'a non-empty string', value);
  return value;
}

/** A name that becomes a node's name (a member's, an instance's): a non-empty string without "/". */
export function checkNodeName(value: unknown, what: string, name: string): string {
  if (typeof value !== 'string' || value === '' || value.includes('/')) {
    throw invalid(what, name, 'a non-empty string without "/"', value);
  }
  return value;
}

/** A count (permits, members, attempts, consumers): an integer >= 1. */
export function checkCount(value: unknown, what: string, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(what, name, 'an integer >= 1', value);
  return value;
}

/** A value that must be exact in JavaScript: a safe integer. */
export function checkSafeInteger(value: unknown, what: string, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(what, name, 'a safe integer', value);
  return value;
}

/** A port: an integer from 0 to 65535. */
export function checkPort(value: unknown, what: string, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw invalid(what, name, 'an integer from 0 to 65535', value);
  }
  return value;
}

/** A callback (the work, a parser): a function. */
export function checkFunction<F extends (...args: never[]) => unknown>(value: F | undefined, what: string, name: string): F {
  if (typeof value !== 'function') throw invalid(what, name, 'a function', value);
  return value;
}

/** One of a few words (a scheme, a format, a policy). */
export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string, name: string): T {
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw invalid(what, name, wordsOf(allowed), value);
}

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`. */
export function wordsOf(allowed: readonly string[]): string {
  const quoted = allowed.map((word) => `'${word}'`);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/**
 * Something written as JSON (a payload, a member's data); `undefined` is written as `null`.
 * Returns its JSON.
 */
export function checkJson(value: unknown, what: string, name: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value ?? null);
  } catch (error) {
    throw new InvalidArgumentError(`${what}: ${name} must be JSON-serializable`, { cause: error });
  }
  if (json === undefined) throw new InvalidArgumentError(`${what}: ${name} must be JSON-serializable, got a ${typeof value}`);
  return json;
}

/** An optional `signal`: an AbortSignal. */
export function checkSignal(signal: unknown, what: string): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw invalid(what, 'signal', 'an AbortSignal', signal);
}
