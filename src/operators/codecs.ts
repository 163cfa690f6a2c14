import { map, type OperatorFunction } from 'rxjs';
import type { ZNode } from '../model/stat.js';
import { DataDecodeError } from '../errors/zk-error.js';

// Raised by the decoders here (and by recipes decoding their own nodes); defined with the other errors.
export { DataDecodeError } from '../errors/zk-error.js';

/**
 * Decodes a node's data as UTF-8 text; `null` (no node) stays `null`.
 *
 * ## Example
 * ```ts
 * import { connect, utf8 } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * zk.data$('/config/motd').pipe(utf8()).subscribe(console.log);
 * // Logs: hello (then every new value)
 * ```
 */
export function utf8(): OperatorFunction<ZNode | null, string | null> {
  return map((node) => (node === null ? null : node.data.toString('utf8')));
}

/**
 * Decodes a node's data as JSON; `null` (no node) stays `null`. Malformed JSON errors the stream
 * with {@link DataDecodeError} naming the path.
 *
 * ## Example
 * ```ts
 * import { connect, json } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * zk.data$('/config/limits').pipe(json<{ rps: number }>()).subscribe((c) => console.log(c?.rps));
 * // Logs: 100
 * ```
 */
export function json<T = unknown>(): OperatorFunction<ZNode | null, T | null> {
  return map((node) => (node === null ? null : decodeJson<T>(node)));
}

/** Parses a node's data as JSON, or throws {@link DataDecodeError} naming the path. */
export function decodeJson<T>(node: ZNode): T {
  try {
    return JSON.parse(node.data.toString('utf8')) as T;
  } catch (err) {
    throw new DataDecodeError(`${node.path}: data is not valid JSON (${(err as Error).message})`, {
      path: node.path,
      cause: err,
    });
  }
}
