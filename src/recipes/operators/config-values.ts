import { Observable, type OperatorFunction } from 'rxjs';
import type { ZNode } from '../../model/stat.js';
import { InvalidConfigError } from '../../errors/recipe-errors.js';
import type { WriteAttempt, WriteOutcome } from '../versioned-update.js';
import { oncePerVersion } from './once-per-version.js';

/** Options of {@link configValues}. */
export interface ConfigValuesOptions<T> {
  /** The value while the node does not exist (and until a valid one is read). */
  defaults?: T;
  /** Told about each invalid version of the node, once. */
  onInvalid: (error: InvalidConfigError) => void;
}

/**
 * Reads a configuration node: JSON, then `parse` (which throws to reject it).
 *
 * @throws InvalidConfigError naming the path and version, with the JSON or parse error as cause.
 */
export function parseConfig<T>(node: ZNode, parse: (raw: unknown) => T): T {
  let raw: unknown;
  try {
    raw = JSON.parse(node.data.toString('utf8'));
  } catch (error) {
    throw new InvalidConfigError(`${node.path} (version ${node.stat.version}): not valid JSON (${(error as Error).message})`, {
      path: node.path,
      cause: error,
    });
  }
  try {
    return parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidConfigError(`${node.path} (version ${node.stat.version}): rejected by parse (${reason})`, {
      path: node.path,
      cause: error,
    });
  }
}

/**
 * A typed configuration from its node (`data$`): each version is decoded as JSON and validated
 * by `parse`. An invalid version is reported to `onInvalid` and skipped: the last good value
 * stays. While the node does not exist (and before a first good value) the value is `defaults`;
 * without defaults nothing is emitted until there is a good value. Emits only changes of content.
 *
 * ## Example
 * ```ts
 * import { configValues } from 'rxzk';
 * zk.data$('/config/limits')
 *   .pipe(configValues(parseLimits, { defaults: { rps: 100 }, onInvalid: (e) => console.warn(e.message) }))
 *   .subscribe((limits) => console.log(limits.rps));
 * // Logs: 100 (while absent), then each valid value
 * ```
 */
export function configValues<T>(
  parse: (raw: unknown) => T,
  options: ConfigValuesOptions<T>,
): OperatorFunction<ZNode | null, T> {
  const hasDefaults = options.defaults !== undefined;
  // The node may be created holding the defaults (by an update): that is no change.
  const defaultsText = hasDefaults ? JSON.stringify(options.defaults) : undefined;
  return (nodes) =>
    new Observable<T>((subscriber) => {
      /** What was emitted last: the defaults, or a node's content. */
      let last: { kind: 'none' } | { kind: 'defaults' } | { kind: 'content'; text: string } = { kind: 'none' };
      const report = oncePerVersion(options.onInvalid);
      const useDefaults = () => {
        if (!hasDefaults || last.kind === 'defaults') return;
        last = { kind: 'defaults' };
        subscriber.next(options.defaults as T);
      };
      return nodes.subscribe({
        next(node) {
          if (node === null) return useDefaults();
          const text = node.data.toString('utf8');
          if (last.kind === 'content' && last.text === text) return;
          if (last.kind === 'defaults' && text === defaultsText) {
            last = { kind: 'content', text };
            return;
          }
          let value: T;
          try {
            value = parseConfig(node, parse);
          } catch (error) {
            report(node, error as InvalidConfigError);
            if (last.kind === 'none') useDefaults();
            return;
          }
          last = { kind: 'content', text };
          subscriber.next(value);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * Judges a configuration write whose reply was lost. Configuration data carries no token, so only
 * the version right after the expected one can be judged: it holds our data (it took effect, or
 * someone wrote the very same content, which comes to the same) or not.
 */
export function configWriteOutcome(node: ZNode | null, attempt: WriteAttempt): WriteOutcome {
  if (node === null || node.stat.czxid !== attempt.czxid) return 'unknown';
  const version = node.stat.version;
  if (version === attempt.expectedVersion) return 'pending';
  if (version === attempt.expectedVersion + 1) return node.data.equals(attempt.data) ? 'applied' : 'not-applied';
  return 'unknown';
}
