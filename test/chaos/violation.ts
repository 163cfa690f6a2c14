import type { ChaosEvent } from './events.js';

/**
 * Something a run did that it must not (`safety`: two holders, a lost update, a crash), or did
 * not do that it must (`liveness`: converge, make progress), with the log lines that show it.
 */
export interface Violation {
  /** The check that found it (`lock-overlap`, `leader-agreement`...). */
  readonly check: string;
  readonly kind: 'safety' | 'liveness';
  readonly message: string;
  readonly lines: readonly ChaosEvent[];
}

/** A violation of `check`, quoting `lines` (missing ones left out). */
export function violation(
  kind: Violation['kind'],
  check: string,
  message: string,
  lines: readonly (ChaosEvent | undefined)[],
): Violation {
  return { check, kind, message, lines: lines.filter((l): l is ChaosEvent => l !== undefined) };
}
