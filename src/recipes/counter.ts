/**
 * A distributed counter (Curator's DistributedAtomicLong, kazoo's Counter) with optimistic
 * concurrency, safe against lost replies.
 *
 * The ZooKeeper algorithm:
 * 1. Read the node (absent counts as 0): its value, its version, and the tokens of its latest
 *    writes.
 *    An absent node is first created holding 0 (NodeExists is fine: someone else did).
 * 2. Write the new value with a fresh unique token appended, conditionally on the version read.
 * 3. BadVersion: someone else wrote first; back off a little, go to 1.
 * 4. ConnectionLoss (or a lost session, or a timeout): the write may or may not have taken effect,
 *    and it is not re-sent. Read again: if our token is among the latest writes, it did, and we are
 *    done. If the node moved on without it (and the version ours would have made is still on
 *    record), it did not: go on from 2. If the node is still at the version we expected, it may
 *    still land: the next write expects the same version, so at most one of them takes effect.
 *
 * Guarantee: `add(n)` adds n exactly once when it resolves. When it cannot tell whether a write
 * whose reply was lost took effect, it rejects with {@link WriteOutcomeUnknownError} instead of
 * adding again.
 *
 * Caveats:
 * - The node keeps the last 16 write tokens: a lost reply followed by 16 or more writes by others
 *   before this client reads again cannot be judged (WriteOutcomeUnknownError).
 * - Values are JavaScript numbers: safe integers only (up to 2^53 - 1).
 * - Every writer contends on one node: heavy write rates are better served by sharded counters.
 */
import { type Observable } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { validatePath } from '../paths/validate-path.js';
import { getOrNull } from './node-idioms.js';
import { counterValues, counterWriteOutcome, decodeCounter, encodeCounter } from './operators/counter-values.js';
import { checkCount, checkSafeInteger } from './recipe-arguments.js';
import { versionedUpdate } from './versioned-update.js';

/** Options of {@link counter}. */
export interface CounterOptions {
  /** Give up (BadVersionError) after this many conflicting writes in a row. Default 100. */
  maxConflicts?: number;
}

/** A distributed counter at one path. Get one with {@link counter}. */
export interface DistributedCounter {
  /** The counter node. */
  readonly path: string;
  /** The value, 0 while the node does not exist: emits it now, then every change. */
  readonly value$: Observable<number>;
  /** Reads the value once. */
  get(): Promise<number>;
  /**
   * Adds `delta` (negative to subtract) and resolves with the new value. Retries on conflicts;
   * never adds twice, even when a reply is lost.
   *
   * @throws InvalidArgumentError at once if `delta` is not a safe integer.
   */
  add(delta: number): Promise<number>;
  /**
   * Sets the value to `next` if it is `expected`; resolves with whether it did. A conflicting write
   * by someone else is re-read: if the value is still `expected`, it tries again.
   *
   * @throws InvalidArgumentError at once if either is not a safe integer.
   */
  compareAndSet(expected: number, next: number): Promise<boolean>;
}

/**
 * A distributed counter at `path`.
 *
 * ## Example
 * ```ts
 * import { connect, counter } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const hits = counter(zk, '/counters/hits');
 * hits.value$.subscribe((n) => console.log('hits:', n));
 * await hits.add(1);
 * // Logs: hits: 0, hits: 1
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options.
 */
export function counter(zk: ZkClient, path: string, options: CounterOptions = {}): DistributedCounter {
  validatePath(path, 'counter');
  const what = `counter ${path}`;
  const maxConflicts = checkCount(options.maxConflicts ?? 100, what, 'maxConflicts');

  return {
    path,
    value$: zk.data$(path).pipe(counterValues()),

    async get() {
      return decodeCounter(await getOrNull(zk, path)).value;
    },

    add(delta) {
      checkSafeInteger(delta, what, 'delta');
      return versionedUpdate<number>(zk, path, {
        what: `counter ${path}: add(${delta})`,
        maxConflicts,
        initial: () => encodeCounter(0, []),
        outcome: counterWriteOutcome,
        plan: (node, token) => {
          const { value, writes } = decodeCounter(node);
          const next = value + delta;
          if (!Number.isSafeInteger(next)) {
            throw new InvalidArgumentError(`counter ${path}: ${value} + ${delta} is beyond the safe integers`, { path });
          }
          return { write: encodeCounter(next, [...writes, token]), result: next };
        },
      });
    },

    compareAndSet(expected, next) {
      checkSafeInteger(expected, what, 'expected');
      checkSafeInteger(next, what, 'next');
      return versionedUpdate<boolean>(zk, path, {
        what: `counter ${path}: compareAndSet(${expected}, ${next})`,
        maxConflicts,
        initial: () => encodeCounter(0, []),
        outcome: counterWriteOutcome,
        plan: (node, token) => {
          const { value, writes } = decodeCounter(node);
          if (value !== expected) return { done: false };
          return { write: encodeCounter(next, [...writes, token]), result: true };
        },
      });
    },
  };
}
