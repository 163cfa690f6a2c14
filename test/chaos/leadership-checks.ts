/**
 * Leadership: at most one process believes it leads at any instant; within session timeout + 2 s
 * of a new leader every live candidate names it, and when the faults have stopped every candidate
 * names the same leader, the one that believes it leads; and, for liveness, the election is never
 * leaderless for long while every candidate's session is live.
 */
import { eventsOf, type ChaosEvent, type EventOf } from './events.js';
import { complement, intersect, union, type Interval } from './intervals.js';
import { at, endedFromOutside, lastBefore, overlapping, processesOf, seconds, type Belief, type RunFacts } from './run-facts.js';
import { violation, type Violation } from './violation.js';

/** A stretch of time during which one process (`holder`) believed it led. */
export interface Term extends Belief {
  readonly began: EventOf<'leadership'>;
  readonly ended?: ChaosEvent;
}

export interface LeadershipCheckOptions {
  /** No leader this long while every candidate's session is live is a stall. */
  readonly stallMs: number;
}

/** Every term of every candidate, in order of start. */
export function terms(facts: RunFacts): Term[] {
  const out: Term[] = [];
  for (const leader of processesOf(facts, 'candidate')) {
    let open: EventOf<'leadership'> | undefined;
    for (const e of eventsOf(leader.events, 'leadership')) {
      if (e.mono > leader.beliefEnd) break;
      if (e.isLeader && !open) open = e;
      else if (!e.isLeader && open) {
        out.push({ holder: leader, from: open.mono, began: open, to: e.mono, ended: e });
        open = undefined;
      }
    }
    if (open) out.push({ holder: leader, from: open.mono, began: open, to: leader.beliefEnd });
  }
  return out.sort((a, b) => a.from - b.from);
}

/** The stretches with no leader, from the first term's start to the end of the run. */
export function leaderlessGaps(facts: RunFacts): Interval[] {
  const all = terms(facts);
  if (all.length === 0) return [];
  return complement(
    union(all),
    all[0]!.from,
    facts.end,
  );
}

/** Every leadership violation of the run. */
export function checkLeadership(facts: RunFacts, options: LeadershipCheckOptions): Violation[] {
  const all = terms(facts);
  return [...twoLeaders(facts, all), ...convergence(facts, all), ...agreement(facts), ...electionStalls(facts, options)];
}

function twoLeaders(facts: RunFacts, all: readonly Term[]): Violation[] {
  return overlapping(facts, all)
    .filter((o) => !o.excused)
    .map(({ a, b }) =>
      violation(
        'safety',
        'two-leaders',
        `${b.holder.key} believed it led from ${at(facts, b.from)} while ${a.holder.key} (leading since ` +
          `${at(facts, a.from)}) still did, until ${at(facts, a.to)}`,
        [a.began, b.began, a.ended],
      ),
    );
}

/**
 * Every candidate that has been live for a whole window names the leader of a term that has lasted
 * a whole window (checked when that becomes true, and at each view it emits after).
 */
function convergence(facts: RunFacts, all: readonly Term[]): Violation[] {
  const window = facts.windowMs;
  const found: Violation[] = [];
  for (const term of all) {
    for (const c of processesOf(facts, 'candidate')) {
      if (c.key === term.holder.key) continue;
      const checkpoints = [
        term.from + window,
        ...c.live.map((l) => l.from + window),
        ...eventsOf(c.events, 'leadership').map((e) => e.mono),
      ].filter((t) => t >= term.from + window && t <= Math.min(term.to, c.beliefEnd));
      for (const t of checkpoints.sort((a, b) => a - b)) {
        const live = c.live.find((l) => l.from <= t && t <= l.to);
        if (!live || t - live.from < window) continue;
        const view = lastBefore(c.events, 'leadership', t);
        // A candidate that believes it leads itself is the two-leaders check's business.
        if (view?.leaderId === term.holder.id || view?.isLeader) continue;
        // The term's session was ended from outside: the others may hear of it (its node gone)
        // a moment before its holder is told.
        if (endedFromOutside(facts, term.holder, t, term.to)) continue;
        found.push(
          violation(
            'liveness',
            'leader-convergence',
            `${c.key} names ${view?.leaderId ?? 'nobody'} as leader at ${at(facts, t)}, but ${term.holder.key} has led since ` +
              `${at(facts, term.from)} (${seconds(t - term.from)}; the window is ${seconds(window)})`,
            [term.began, view],
          ),
        );
        break;
      }
    }
  }
  return found;
}

/** At the end, one leader, and every candidate names it. */
function agreement(facts: RunFacts): Violation[] {
  const candidates = processesOf(facts, 'candidate').filter((c) => c.aliveAtEnd);
  if (candidates.length === 0) return [];
  const finals = candidates.map((c) => ({ c, view: lastBefore(c.events, 'leadership', facts.end) }));
  const leaders = finals.filter((f) => f.view?.isLeader);
  const lines = finals.map((f) => f.view);
  if (leaders.length !== 1) {
    return [
      violation(
        'liveness',
        'leader-agreement',
        `${leaders.length} candidates believe they lead at the end (${leaders.map((l) => l.c.key).join(', ') || 'none'}), ` +
          `${seconds(facts.end - facts.faultsEnd)} after the faults stopped`,
        lines,
      ),
    ];
  }
  const leaderId = leaders[0]!.c.id;
  const wrong = finals.filter((f) => f.view?.leaderId !== leaderId);
  if (wrong.length === 0) return [];
  return [
    violation(
      'liveness',
      'leader-agreement',
      `${leaderId} leads at the end, but ${wrong.map((w) => `${w.c.key} says ${w.view?.leaderId ?? 'nothing'}`).join(', ')}, ` +
        `${seconds(facts.end - facts.faultsEnd)} after the faults stopped`,
      lines,
    ),
  ];
}

/** No leader while every candidate's session is live and the ensemble is led. */
function electionStalls(facts: RunFacts, options: LeadershipCheckOptions): Violation[] {
  const candidates = processesOf(facts, 'candidate');
  if (candidates.length === 0) return [];
  const allLive = intersect(...candidates.map((c) => c.live));
  return intersect(leaderlessGaps(facts), allLive, facts.ensembleLed)
    .filter((i) => i.to - i.from > options.stallMs)
    .map((i) => {
      const before = eventsOf(facts.events, 'leadership').filter((e) => e.mono <= i.from).pop();
      const after = eventsOf(facts.events, 'leadership').find((e) => e.isLeader && e.mono >= i.to);
      return violation(
        'liveness',
        'election-stall',
        `no candidate led for ${seconds(i.to - i.from)} from ${at(facts, i.from)} while every candidate's session was live ` +
          'and the ensemble had a leader',
        [before, after],
      );
    });
}
