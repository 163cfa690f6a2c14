/**
 * Registry: `discover` never lists an id twice; within session timeout + 2 s of each change it
 * lists exactly the live instances (and goes on doing so); every registrant ends registered.
 *
 * What is "live" comes from the registrants' own lines: an id is `in` while a process with that
 * id runs and says `registered`, `out` while no process with that id runs (its node may linger
 * until the server expires its session, which is why the window is a session timeout long, and
 * restarts when a new ensemble leader is elected), and `unsure` otherwise (registering, suspended,
 * waiting for a stale node, or hit by a fault and not yet registered again): then either answer
 * is right.
 */
import { eventsOf, type ChaosEvent } from './events.js';
import { at, lastBefore, processesOf, seconds, type ProcessFacts, type RunFacts } from './run-facts.js';
import { violation, type Violation } from './violation.js';

type Status = 'in' | 'out' | 'unsure';

/** A registrant id's status from `at` on, and the line that made it so. */
interface StatusChange {
  readonly at: number;
  readonly status: Status;
  readonly line?: ChaosEvent;
}

/** Every registry violation of the run. */
export function checkRegistry(facts: RunFacts): Violation[] {
  const ids = registrantIds(facts);
  const timelines = new Map(ids.map((id) => [id, statusTimeline(facts, id)]));
  const found: Violation[] = [];
  for (const discoverer of processesOf(facts, 'discoverer')) {
    found.push(...duplicates(facts, discoverer), ...convergence(facts, discoverer, timelines));
  }
  found.push(...finalRegistrations(facts, ids));
  return found;
}

function registrantIds(facts: RunFacts): string[] {
  const ids = new Set([
    ...facts.participants.filter((p) => p.role === 'registrant').map((p) => p.id),
    ...processesOf(facts, 'registrant').map((p) => p.id),
  ]);
  return [...ids].sort();
}

function duplicates(facts: RunFacts, discoverer: ProcessFacts): Violation[] {
  return eventsOf(discoverer.events, 'discovered')
    .filter((d) => new Set(d.ids).size !== d.ids.length)
    .map((d) =>
      violation(
        'safety',
        'discover-duplicate',
        `${discoverer.key} listed an id twice at ${at(facts, d.mono)}: ${d.ids.join(', ')}`,
        [d],
      ),
    );
}

/** An id's status over the run, one entry per change. */
function statusTimeline(facts: RunFacts, id: string): StatusChange[] {
  const processes = facts.processes.filter((p) => p.id === id);
  const faults = facts.participantFaults.filter((f) => f.id === id);
  const moments: { at: number; line?: ChaosEvent }[] = [{ at: facts.start }];
  for (const p of processes) {
    moments.push({ at: p.startedAt });
    for (const e of p.events) if (e.ev === 'registration') moments.push({ at: e.mono, line: e });
    if (p.exited) moments.push({ at: p.exited.mono, line: p.exited });
  }
  for (const f of faults) moments.push({ at: f.from, line: f.start });
  moments.sort((a, b) => a.at - b.at);

  const statusAt = (t: number): Status => {
    const running = processes.filter((p) => p.startedAt <= t && (!p.exited || p.exited.mono > t)).pop();
    if (!running) return 'out';
    const registration = lastBefore(running.events, 'registration', t);
    if (registration?.state !== 'registered') return 'unsure';
    // After a fault of its own, an id is in doubt until it says `registered` again.
    const hit = faults.some((f) => f.from <= t && registration.mono <= f.to);
    return hit ? 'unsure' : 'in';
  };

  const changes: StatusChange[] = [];
  for (const m of moments) {
    const status = statusAt(m.at);
    if (changes[changes.length - 1]?.status !== status) changes.push({ at: m.at, status, ...(m.line ? { line: m.line } : {}) });
  }
  return changes;
}

function convergence(facts: RunFacts, discoverer: ProcessFacts, timelines: Map<string, StatusChange[]>): Violation[] {
  const window = facts.windowMs;
  const views = eventsOf(discoverer.events, 'discovered');
  const checkpoints = new Set<number>([facts.end, ...views.map((v) => v.mono)]);
  for (const timeline of timelines.values()) for (const c of timeline) checkpoints.add(c.at + window);
  for (const e of facts.leaderElections) checkpoints.add(e + window);
  for (const l of discoverer.live) checkpoints.add(l.from + window);

  const found: Violation[] = [];
  const reported = new Set<string>();
  for (const t of [...checkpoints].sort((a, b) => a - b)) {
    if (t < discoverer.startedAt || t > discoverer.beliefEnd) continue;
    // The discoverer itself must have been live for a whole window to be held to anything.
    const live = discoverer.live.find((l) => l.from <= t && t <= l.to);
    if (!live || t - live.from < window) continue;
    const view = lastBefore(discoverer.events, 'discovered', t);
    const listed = new Set(view?.ids ?? []);
    const lastElection = facts.leaderElections.filter((e) => e <= t).pop() ?? -Infinity;
    for (const [id, timeline] of timelines) {
      const current = [...timeline].reverse().find((c) => c.at <= t);
      if (!current) continue;
      const key = `${id}@${current.at}`;
      if (reported.has(key)) continue;
      const missing = current.status === 'in' && t - current.at >= window && !listed.has(id);
      const lingering = current.status === 'out' && t - Math.max(current.at, lastElection) >= window && listed.has(id);
      if (!missing && !lingering) continue;
      reported.add(key);
      const election =
        current.status === 'out' && lastElection > current.at ? `, ${seconds(t - lastElection)} after the ensemble's last election` : '';
      found.push(
        violation(
          'liveness',
          'discover-convergence',
          `${discoverer.key} ${missing ? 'does not list' : 'still lists'} ${id} at ${at(facts, t)}, ` +
            `${seconds(t - current.at)} after ${id} ${missing ? 'registered' : 'went'} (at ${at(facts, current.at)})${election}; ` +
            `the window is ${seconds(window)}`,
          [current.line, view],
        ),
      );
    }
  }
  return found;
}

/** Every registrant id ends registered. */
function finalRegistrations(facts: RunFacts, ids: readonly string[]): Violation[] {
  const found: Violation[] = [];
  for (const id of ids) {
    const last = facts.processes.filter((p) => p.id === id && p.aliveAtEnd).pop();
    const registration = last && lastBefore(last.events, 'registration', facts.end);
    if (registration?.state === 'registered') continue;
    found.push(
      violation(
        'liveness',
        'registrant-final',
        last
          ? `${last.key} is not registered at the end (last state: ${registration?.state ?? 'none'}), ` +
            `${seconds(facts.end - facts.faultsEnd)} after the faults stopped`
          : `no process of ${id} runs at the end`,
        [registration],
      ),
    );
  }
  return found;
}
