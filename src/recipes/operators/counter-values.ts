import { distinctUntilChanged, map, type OperatorFunction } from 'rxjs';
import type { ZNode } from '../../model/stat.js';
import { DataDecodeError } from '../../operators/codecs.js';
import type { WriteAttempt, WriteOutcome } from '../versioned-update.js';

/** What a counter node holds: the value, and the tokens of the latest writes (oldest first). */
export interface CounterState {
  readonly value: number;
  readonly writes: readonly string[];
}

/** How many write tokens a counter node keeps: a lost reply can be judged this many writes later. */
export const COUNTER_WRITES_KEPT = 16;

/**
 * Decodes a counter node: JSON `{ "value": 42, "writes": [...] }` as the counter writes it, or a
 * plain integer (`42`) or no data at all (`0`) as other tools may write it; an absent node is 0.
 *
 * @throws DataDecodeError naming the path if it holds anything else.
 */
export function decodeCounter(node: ZNode | null): CounterState {
  if (node === null) return { value: 0, writes: [] };
  const text = node.data.toString('utf8').trim();
  if (text === '') return { value: 0, writes: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed)) return { value: parsed, writes: [] };
  if (parsed !== null && typeof parsed === 'object') {
    const { value, writes } = parsed as { value?: unknown; writes?: unknown };
    const tokens = Array.isArray(writes) ? writes.filter((w): w is string => typeof w === 'string') : [];
    if (typeof value === 'number' && Number.isSafeInteger(value)) return { value, writes: tokens };
  }
  throw new DataDecodeError(`${node.path}: not a counter (expected an integer or {"value": <integer>}), got ${JSON.stringify(text.slice(0, 40))}`, {
    path: node.path,
  });
}

/** Encodes a counter node, keeping the latest {@link COUNTER_WRITES_KEPT} write tokens. */
export function encodeCounter(value: number, writes: readonly string[]): Buffer {
  return Buffer.from(JSON.stringify({ value, writes: writes.slice(-COUNTER_WRITES_KEPT) }));
}

/**
 * Judges a counter write whose reply was lost. Every counter write appends its token, so the
 * tokens name the latest versions: the last one is the current version's, the one before it the
 * version before, and so on. A write that expected version `v` would have made version `v + 1`.
 */
export function counterWriteOutcome(node: ZNode | null, attempt: WriteAttempt): WriteOutcome {
  // Deleted since: cannot be judged.
  if (node === null) return 'unknown';
  let writes: readonly string[];
  try {
    writes = decodeCounter(node).writes;
  } catch {
    return 'unknown';
  }
  if (writes.includes(attempt.token)) return 'applied';
  if (node.stat.czxid !== attempt.czxid) return 'unknown';
  const version = node.stat.version;
  if (version === attempt.expectedVersion) return 'pending';
  const since = version - (attempt.expectedVersion + 1); // writes made after the one ours would have made
  if (since < 0) return 'unknown';
  // The current content is not ours, or the version ours would have made is still on record.
  return since === 0 || since < writes.length ? 'not-applied' : 'unknown';
}

/**
 * A counter's values from its node (`data$`): 0 while it does not exist. Emits only changes; a
 * node that is not a counter errors the stream with {@link DataDecodeError} naming the path.
 *
 * ## Example
 * ```ts
 * import { counterValues } from 'rxzk';
 * zk.data$('/counters/hits').pipe(counterValues()).subscribe((n) => console.log(n));
 * // Logs: 0, then every new value
 * ```
 */
export function counterValues(): OperatorFunction<ZNode | null, number> {
  return (nodes) =>
    nodes.pipe(
      map((node) => decodeCounter(node).value),
      distinctUntilChanged(),
    );
}
