/**
 * Progress and health: no participant process dies on its own; each one that works in a loop
 * (lockers, the writer, watchers) gets work done after the faults stop; no recipe stream errors;
 * no process warns (a `MaxListenersExceededWarning` is a leak).
 */
import { eventsOf, type ChaosEvent, type Role } from './events.js';
import { at, seconds, type ProcessFacts, type RunFacts } from './run-facts.js';
import { violation, type Violation } from './violation.js';

/** What counts as getting work done, by role. */
const PROGRESS: Partial<Record<Role, { what: string; made: (e: ChaosEvent) => boolean }>> = {
  locker: { what: 'completed no critical section', made: (e) => e.ev === 'exit' && e.reason === 'done' },
  writer: { what: 'had no write acknowledged', made: (e) => e.ev === 'data-write' && e.outcome === 'ok' },
  watcher: { what: 'saw no new value', made: (e) => e.ev === 'value' },
};

/** Every progress and health violation of the run. */
export function checkProgress(facts: RunFacts): Violation[] {
  return [...crashes(facts), ...stalled(facts), ...troubles(facts)];
}

function crashes(facts: RunFacts): Violation[] {
  return eventsOf(facts.events, 'exited')
    .filter((e) => !e.expected)
    .map((e) => {
      const own = facts.processes.find((p) => p.id === e.id && p.inc === e.incarnation);
      return violation(
        'safety',
        'crash',
        `${e.id}#${e.incarnation} exited on its own at ${at(facts, e.mono)} ` +
          `(${e.signal ?? `code ${String(e.code)}`}); see its .stderr file`,
        [...(own?.events.slice(-3) ?? []), e],
      );
    });
}

function stalled(facts: RunFacts): Violation[] {
  const found: Violation[] = [];
  for (const p of facts.processes) {
    const progress = PROGRESS[p.role];
    if (!progress || !endedNormally(p)) continue;
    const after = p.events.filter((e) => e.mono > facts.faultsEnd && e.mono <= p.beliefEnd);
    if (after.some(progress.made)) continue;
    const last = p.events.filter(progress.made).pop();
    found.push(
      violation(
        'liveness',
        'progress',
        `${p.key} ${progress.what} in the ${seconds(p.beliefEnd - facts.faultsEnd)} after the faults stopped` +
          (last ? ` (last at ${at(facts, last.mono)})` : ' (none in the whole run)'),
        [last, ...p.events.filter((e) => e.mono <= p.beliefEnd).slice(-3)],
      ),
    );
  }
  return found;
}

/** Alive at the end, or stopped by the runner after the faults (as the writer is). */
function endedNormally(p: ProcessFacts): boolean {
  return p.aliveAtEnd || (p.exited?.expected === true && p.events.some((e) => e.ev === 'stop'));
}

function troubles(facts: RunFacts): Violation[] {
  const found: Violation[] = [];
  for (const p of facts.processes) {
    const errors = eventsOf(p.events, 'stream-error');
    if (errors.length) {
      found.push(
        violation(
          'liveness',
          'stream-error',
          `${p.key}: ${errors.length} recipe stream error(s), first ${errors[0]!.what}: ${errors[0]!.name}: ${errors[0]!.message}`,
          errors.slice(0, 3),
        ),
      );
    }
    const warnings = eventsOf(p.events, 'warning');
    for (const name of new Set(warnings.map((w) => w.name))) {
      const some = warnings.filter((w) => w.name === name);
      found.push(
        violation('liveness', 'warning', `${p.key}: ${some.length} ${name}(s), first: ${some[0]!.message}`, some.slice(0, 2)),
      );
    }
  }
  return found;
}
