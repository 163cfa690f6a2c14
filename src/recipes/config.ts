/**
 * Configuration management: a typed, validated configuration in one node that every client
 * follows, updated with optimistic concurrency.
 *
 * The ZooKeeper algorithm:
 * 1. The configuration is JSON in one node; every client watches it (`data$`) and validates each
 *    version with the application's `parse`.
 * 2. Update: read the node (an absent one is first created holding the defaults), apply the
 *    change to its value, validate the result, and write it only if the node is still at the
 *    version read.
 * 3. BadVersion: someone else wrote first; read again and apply the change again.
 * 4. ConnectionLoss (or a lost session, or a timeout): the write is not re-sent. Read again: if the
 *    version after the one we expected holds our data, it took effect; if it holds other data, it
 *    did not (go on from 2); if the node is still at the version we expected, the next write
 *    expects it too, so at most one of them takes effect.
 *
 * Caveats:
 * - An invalid version (a hand edit, another program) is reported and skipped: followers keep the
 *   last good value, and a newcomer starts from `defaults` (or waits for a good value).
 * - The configuration data carries nothing but the configuration, so a lost reply can only be
 *   judged while no one else has written since; otherwise `update` rejects with
 *   {@link WriteOutcomeUnknownError} rather than apply the change twice.
 * - Followers may skip intermediate versions (they always converge to the latest).
 * - ZooKeeper nodes hold at most about 1 MB.
 */
import { defer, type Observable } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { InvalidConfigError, isNoNode } from '../errors/recipe-errors.js';
import { NodeExistsError, NoNodeError } from '../errors/zk-error.js';
import { validatePath } from '../paths/validate-path.js';
import { createIfAbsent, getOrNull } from './node-idioms.js';
import { configValues, configWriteOutcome, parseConfig } from './operators/config-values.js';
import { checkCount, checkFunction } from './recipe-arguments.js';
import { versionedUpdate } from './versioned-update.js';

/** Options of {@link config}. */
export interface ConfigOptions<T> {
  /**
   * Validates the decoded JSON and returns the typed configuration; throws to reject it (a schema
   * library's `parse` fits). Default: the JSON as it is.
   */
  parse?: (raw: unknown) => T;
  /** The configuration while the node does not exist (and the base `update` starts from then). */
  defaults?: T;
  /**
   * Told about each invalid version of the node (once per version). Default: a process warning
   * (`process.emitWarning`).
   */
  onInvalid?: (error: InvalidConfigError) => void;
  /** `update` gives up (BadVersionError) after this many conflicting writes in a row. Default 100. */
  maxConflicts?: number;
}

/** A configuration at one path. Get one with {@link config}. */
export interface DistributedConfig<T> {
  /** The configuration node. */
  readonly path: string;
  /**
   * The configuration: emits the current valid value (or `defaults`), then every valid change. An
   * invalid version is reported and skipped; the last good value stays.
   */
  readonly value$: Observable<T>;
  /**
   * Reads the configuration once: the valid value, or `defaults` if the node does not exist.
   * Rejects with {@link InvalidConfigError} if the node is invalid, NoNodeError if it does not
   * exist and there are no defaults.
   */
  get(): Promise<T>;
  /**
   * Applies `change` to the current value (or `defaults` if the node does not exist), validates the
   * result with `parse`, and writes it if nobody wrote in between; otherwise applies it again to
   * what they wrote. Resolves with the value written. `change` may run several times: keep it
   * free of side effects. Returning an equal value writes nothing.
   *
   * Rejects with {@link InvalidConfigError} if the current value or the result is invalid (nothing
   * is written), NoNodeError if there is no value and no defaults, and
   * {@link WriteOutcomeUnknownError} if a lost reply cannot be judged.
   */
  update(change: (current: T) => T): Promise<T>;
  /**
   * Writes `value` whatever the node holds (creating it if needed); resolves with it.
   *
   * @throws InvalidConfigError at once if `value` does not pass `parse`.
   */
  set(value: T): Promise<T>;
}

/**
 * A typed configuration at `path`, validated by `parse`.
 *
 * ## Example
 * ```ts
 * import { config, connect } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const limits = config(zk, '/config/limits', {
 *   parse: (raw) => {
 *     const rps = (raw as { rps?: unknown }).rps;
 *     if (typeof rps !== 'number' || rps <= 0) throw new Error('rps must be a positive number');
 *     return { rps };
 *   },
 *   defaults: { rps: 100 },
 * });
 * limits.value$.subscribe(({ rps }) => console.log('rps', rps));
 * await limits.update((c) => ({ ...c, rps: c.rps * 2 }));
 * // Logs: rps 100, rps 200
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError, InvalidConfigError at once for a bad path,
 *   options, or defaults that do not pass `parse`.
 */
export function config<T = unknown>(zk: ZkClient, path: string, options: ConfigOptions<T> = {}): DistributedConfig<T> {
  validatePath(path, 'config');
  const parse = checkFunction(options.parse ?? ((raw: unknown) => raw as T), `config ${path}`, 'parse');
  const maxConflicts = checkCount(options.maxConflicts ?? 100, `config ${path}`, 'maxConflicts');
  const defaults = options.defaults;
  if (defaults !== undefined) encode(path, defaults, parse, 'defaults');
  const onInvalid =
    options.onInvalid ?? ((error: InvalidConfigError) => process.emitWarning(`config: ignored ${error.message}`, 'RxzkWarning'));

  const missing = () =>
    new NoNodeError(`config ${path}: the node does not exist and there are no defaults (write one with set())`, { path });

  return {
    path,
    value$: defer(() => zk.data$(path)).pipe(configValues(parse, { ...(defaults !== undefined ? { defaults } : {}), onInvalid })),

    async get() {
      const node = await getOrNull(zk, path);
      if (node) return parseConfig(node, parse);
      if (defaults === undefined) throw missing();
      return defaults;
    },

    update(change) {
      checkFunction(change, `config ${path}: update`, 'change');
      return versionedUpdate<T>(zk, path, {
        what: `config ${path}: update`,
        maxConflicts,
        ...(defaults !== undefined ? { initial: () => encode(path, defaults, parse, 'defaults').data } : {}),
        outcome: configWriteOutcome,
        plan: (node) => {
          if (!node) throw missing();
          const { data, value } = encode(path, change(parseConfig(node, parse)), parse, 'the updated value');
          if (node.data.equals(data)) return { done: value };
          return { write: data, result: value };
        },
      });
    },

    set(value) {
      const encoded = encode(path, value, parse, 'the value');
      return (async () => {
        for (let attempt = 0; attempt < 10; attempt++) {
          try {
            await zk.set(path, encoded.data);
            return encoded.value;
          } catch (error) {
            if (!isNoNode(error)) throw error;
          }
          if (await createIfAbsent(zk, path, encoded.data, { parents: true })) return encoded.value;
        }
        throw new NodeExistsError(`config ${path}: set kept racing with deletes and creates; gave up after 10 attempts`, { path });
      })();
    },
  };
}

/** Serializes a configuration and checks it the way readers will; returns what they will read. */
function encode<T>(path: string, value: T, parse: (raw: unknown) => T, what: string): { data: Buffer; value: T } {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new InvalidConfigError(`config ${path}: ${what} cannot be written as JSON (${(error as Error).message})`, { path, cause: error });
  }
  if (json === undefined) throw new InvalidConfigError(`config ${path}: ${what} cannot be written as JSON`, { path });
  try {
    return { data: Buffer.from(json), value: parse(JSON.parse(json)) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidConfigError(`config ${path}: ${what} is rejected by parse (${reason})`, { path, cause: error });
  }
}
