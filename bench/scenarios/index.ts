import type { Capability, Scenario } from '../lib/scenario.js';
import { burstConvergence } from './burst-convergence.js';
import { changePropagation } from './change-propagation.js';
import { childrenPropagation } from './children-propagation.js';
import { fanOut } from './fan-out.js';
import { memory } from './memory.js';
import { oneShotOperations } from './one-shot-operations.js';
import { recipes } from './recipes.js';
import { recursiveDelete } from './recursive-delete.js';
import { sessionRecovery } from './session-recovery.js';
import { treeLoad } from './tree-load.js';
import { wire } from './wire.js';

/**
 * Every scenario, in the order a run goes through them. To add one: a file under
 * `bench/scenarios/` exporting a {@link Scenario}, listed here. A scenario that needs more than a
 * server declares it in `requires`; the run skips it (and says so) until that is available.
 */
export const SCENARIOS: readonly Scenario[] = [
  changePropagation,
  burstConvergence,
  fanOut,
  childrenPropagation,
  oneShotOperations,
  treeLoad,
  sessionRecovery,
  memory,
  recipes,
  recursiveDelete,
  wire,
];

/** Scenarios designed but not written yet, listed so that a run reports them as skipped. */
export const PLANNED: readonly { id: string; title: string; requires: readonly Capability[] }[] = [];

/** Which capabilities this checkout has. */
export async function availableCapabilities(): Promise<ReadonlySet<Capability>> {
  const capabilities = new Set<Capability>();
  const library = (await import('../../src/index.js')) as Record<string, unknown>;
  if (['lock', 'leadership', 'discover', 'register'].every((name) => typeof library[name] === 'function')) {
    capabilities.add('recipes');
  }
  return capabilities;
}
