import type { Spread } from './stats.js';
import type { BenchContext } from './context.js';

/** One round's measurement of one contender (rxzk or raw). */
export interface Sample {
  /** Latency of every timed event of the round, in ms. */
  readonly latenciesMs?: readonly number[];
  /** Operations (or changes) completed in `elapsedMs`, for a throughput. */
  readonly ops?: number;
  readonly elapsedMs?: number;
  /** Other figures of the round by metric key (see {@link MetricSpec}). */
  readonly figures?: Readonly<Record<string, number>>;
}

/** A figure reported for a case. `p50`, `p99` and `ops` come from a {@link Sample}'s latencies and ops. */
export interface MetricSpec {
  readonly key: string;
  /** Row label with the unit, e.g. `p50 ms`, `bytes/stream`. */
  readonly label: string;
  /** Which way is better, for `--compare`. */
  readonly better: 'lower' | 'higher';
  /** Decimal places in the table. Default 3. */
  readonly digits?: number;
}

export const P50: MetricSpec = { key: 'p50', label: 'p50 ms', better: 'lower' };
export const P99: MetricSpec = { key: 'p99', label: 'p99 ms', better: 'lower' };
export const MAX: MetricSpec = { key: 'max', label: 'max ms', better: 'lower' };
export const OPS: MetricSpec = { key: 'ops', label: 'ops/s', better: 'higher', digits: 0 };
/** CPU time of the bench process per operation (see `compareCase`). */
export const CPU: MetricSpec = { key: 'cpu', label: 'cpu µs/op', better: 'lower', digits: 1 };
export const LATENCY_METRICS: readonly MetricSpec[] = [P50, P99, OPS, CPU];
/** For cases that time a few long events per round (loads, recoveries): no meaningful p99 or rate. */
export const EVENT_METRICS: readonly MetricSpec[] = [P50, MAX, CPU];
/** Reps of an expiry scenario thrown away because the harness left a zombie connection (see expiry.ts). */
export const DISCARDED: MetricSpec = { key: 'discarded', label: 'discarded reps', better: 'lower', digits: 0 };

/**
 * A bar a case must meet: on the rxzk/raw ratio of a metric, or on rxzk's own figure. Checked
 * against the median over the rounds.
 */
export interface Bar {
  readonly metric: string;
  readonly of: 'ratio' | 'rxzk';
  readonly op: '<=' | '>=';
  readonly limit: number;
}

export function ratioBar(metric: string, op: Bar['op'], limit: number): Bar {
  return { metric, of: 'ratio', op, limit };
}

export function absoluteBar(metric: string, op: Bar['op'], limit: number): Bar {
  return { metric, of: 'rxzk', op, limit };
}

/** One side of a comparison, opened once before the rounds and closed after them. */
export interface Contender {
  /** Runs one round. Measured rounds count from 0; warm-up rounds are negative. */
  round(round: number): Promise<Sample>;
  close(): Promise<void>;
}

/** rxzk against raw node-zookeeper-client doing the same work by hand. */
export interface CaseSpec {
  readonly name: string;
  readonly metrics?: readonly MetricSpec[];
  readonly bars?: readonly Bar[];
  /** Rounds; default from the context (`--quick` or full). */
  readonly rounds?: number;
  /**
   * Unrecorded rounds of each contender before the measured ones, so that neither is measured
   * while its code path is still being compiled. Default: the context's (1 in a full run).
   */
  readonly warmUpRounds?: number;
  rxzk(): Promise<Contender>;
  raw(): Promise<Contender>;
}

export interface MetricResult {
  readonly key: string;
  readonly label: string;
  readonly better: 'lower' | 'higher';
  readonly digits: number;
  readonly rxzk: Spread;
  readonly raw: Spread | null;
  /** rxzk / raw, computed per round, then median, min and max over the rounds. */
  readonly ratio: Spread | null;
  /** The value of every round, in order (for a closer look at a run; not printed). */
  readonly perRound: { readonly rxzk: readonly number[]; readonly raw: readonly number[] };
}

export interface BarResult extends Bar {
  /** The median the bar was checked against. */
  readonly value: number;
  readonly met: boolean;
}

export interface CaseResult {
  readonly name: string;
  readonly rounds: number;
  readonly metrics: readonly MetricResult[];
  readonly bars: readonly BarResult[];
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly cases: readonly CaseResult[];
  /** Why the scenario did not run, when it did not. */
  readonly skipped?: string;
  /** Notes printed under the scenario's table (what exactly was timed). */
  readonly notes?: readonly string[];
}

/** Something a scenario needs beyond a running ZooKeeper. */
export type Capability = 'recipes';

/**
 * A benchmark scenario: one file under `bench/scenarios/`, listed in `scenarios/index.ts`.
 * Most scenarios build {@link CaseSpec}s and hand them to `compareCase`, which alternates the
 * contenders round by round; a scenario that must measure differently (memory, in a child process)
 * produces its {@link CaseResult}s itself with `summarize`.
 */
export interface Scenario {
  /** Stable id, used by `--only` and to match results in `--compare`. */
  readonly id: string;
  readonly title: string;
  /** What it needs beyond a server; a scenario whose needs are not met is listed as skipped. */
  readonly requires?: readonly Capability[];
  /** Lines for the report saying what is timed and what the raw contender does. */
  readonly notes?: readonly string[];
  run(ctx: BenchContext): Promise<readonly CaseResult[]>;
}
