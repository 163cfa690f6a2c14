/**
 * The chaos run's checker: reads every line the run logged and finds what went wrong. Pure: the
 * same lines always give the same verdict, so each check is proven on synthetic logs
 * (test/unit/chaos) before it is trusted with a real run's.
 */
import { checkData } from './data-checks.js';
import type { ChaosEvent } from './events.js';
import { checkLeadership } from './leadership-checks.js';
import { checkLocks } from './lock-checks.js';
import { checkProgress } from './progress-checks.js';
import { checkRegistry } from './registry-checks.js';
import { runFacts, type RunFacts } from './run-facts.js';
import { runStats, type RunStats } from './run-stats.js';
import type { Violation } from './violation.js';

export interface CheckOptions {
  /**
   * How long the lock may stay free, or the election leaderless, while every contender's session
   * is live, before it counts as a stall. Default 1500 (the free moments between two holders of a
   * run on a loaded 2-core machine stay under 0.3 s).
   */
  readonly stallMs?: number;
}

export interface CheckResult {
  readonly facts: RunFacts;
  readonly stats: RunStats;
  readonly violations: readonly Violation[];
}

/** Checks a run from its events (in any order). */
export function checkRun(events: readonly ChaosEvent[], options: CheckOptions = {}): CheckResult {
  const stallMs = options.stallMs ?? 1_500;
  const facts = runFacts(events);
  const violations = [
    ...checkLocks(facts, { stallMs }),
    ...checkLeadership(facts, { stallMs }),
    ...checkRegistry(facts),
    ...checkData(facts),
    ...checkProgress(facts),
  ];
  return { facts, stats: runStats(facts), violations };
}
