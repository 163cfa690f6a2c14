/**
 * `data$`: a node that one writer sets to 1, 2, 3...; no subscriber ever sees a value go
 * backwards (a missing node, `null`, counts as lower than any value), and every subscriber ends
 * on the value the server holds at the end.
 */
import { eventsOf, type EventOf } from './events.js';
import { at, lastBefore, processesOf, type RunFacts } from './run-facts.js';
import { violation, type Violation } from './violation.js';

/** Every `data$` violation of the run. */
export function checkData(facts: RunFacts): Violation[] {
  const found: Violation[] = [];
  const finalLine = eventsOf(facts.events, 'final').find((f) => f.data !== undefined);
  for (const watcher of processesOf(facts, 'watcher')) {
    let previous: EventOf<'value'> | undefined;
    for (const seen of eventsOf(watcher.events, 'value')) {
      if (previous && rank(seen.value) < rank(previous.value)) {
        found.push(
          violation(
            'safety',
            'data-backwards',
            `${watcher.key} saw ${String(seen.value)} at ${at(facts, seen.mono)} after ${String(previous.value)}`,
            [previous, seen],
          ),
        );
      }
      previous = seen;
    }
    if (facts.final.data === undefined || !watcher.aliveAtEnd) continue;
    const last = lastBefore(watcher.events, 'value', facts.end);
    if (last?.value !== facts.final.data) {
      found.push(
        violation(
          'liveness',
          'data-final',
          `${watcher.key} ends on ${String(last?.value ?? 'nothing')}, but the node holds ${facts.final.data}`,
          [last, finalLine],
        ),
      );
    }
  }
  return found;
}

function rank(value: number | null): number {
  return value ?? Number.NEGATIVE_INFINITY;
}
