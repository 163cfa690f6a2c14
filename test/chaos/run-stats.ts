/**
 * What a run did, for its report: the faults injected, the operations done, the throughput
 * before, during and after the faults, and the stretches without a leader.
 */
import { eventsOf, type FaultKind } from './events.js';
import { intersect, length, type Interval } from './intervals.js';
import { leaderlessGaps, terms } from './leadership-checks.js';
import { lockSections } from './lock-checks.js';
import { overlapping, type RunFacts } from './run-facts.js';

export interface PhaseThroughput {
  readonly ms: number;
  /** Critical sections completed (read, conditional set, exit) per second. */
  readonly sectionsPerS: number;
  /** `data$` writes acknowledged per second. */
  readonly writesPerS: number;
}

export interface RunStats {
  readonly durationMs: number;
  readonly faults: Record<FaultKind, number>;
  /** Of the member kills, how many hit the ensemble's leader. */
  readonly leaderKills: number;
  readonly operations: {
    readonly criticalSections: number;
    readonly sectionsLost: number;
    readonly increments: { ok: number; unknown: number; conflict: number; failed: number };
    readonly dataWrites: { ok: number; unknown: number; failed: number };
    readonly valuesSeen: number;
    readonly leaderTerms: number;
    readonly registrations: number;
    readonly discoverViews: number;
    readonly sessionsLost: number;
  };
  readonly throughput: { before: PhaseThroughput; during: PhaseThroughput; after: PhaseThroughput };
  readonly leaderless: { count: number; totalMs: number; longestMs: number; afterFaultsMs: number; gaps: Interval[] };
  /**
   * Overlaps not counted as violations: the earlier holder's or leader's session was ended from
   * outside (`expireSession`) and it let go as soon as it was told. How many, and the longest (ms).
   */
  readonly excused: { lockOverlaps: number; leaderOverlaps: number; longestMs: number };
}

export function runStats(facts: RunFacts): RunStats {
  const faultStarts = eventsOf(facts.events, 'fault').filter((f) => f.phase === 'start');
  const faults: Record<FaultKind, number> = {
    'kill-member': 0,
    blackhole: 0,
    'cut-connection': 0,
    'expire-session': 0,
    'restart-registrant': 0,
  };
  for (const f of faultStarts) faults[f.kind]++;
  const sections = lockSections(facts);
  const writes = eventsOf(facts.events, 'write');
  const dataWrites = eventsOf(facts.events, 'data-write');
  const count = <T extends { outcome: string }>(list: readonly T[], outcome: string) => list.filter((w) => w.outcome === outcome).length;

  const phase = (from: number, to: number): PhaseThroughput => {
    const ms = Math.max(0, to - from);
    const per = (n: number) => (ms > 0 ? (n * 1000) / ms : 0);
    const within = (mono: number) => mono >= from && mono < to;
    return {
      ms,
      sectionsPerS: per(sections.filter((s) => s.done && within(s.to)).length),
      writesPerS: per(dataWrites.filter((w) => w.outcome === 'ok' && within(w.mono)).length),
    };
  };
  const gaps = leaderlessGaps(facts);
  const excusedSections = overlapping(facts, sections).filter((o) => o.excused);
  const excusedTerms = overlapping(facts, terms(facts)).filter((o) => o.excused);
  const overlapMs = [...excusedSections, ...excusedTerms].map(({ a, b }) => Math.min(a.to, b.to) - b.from);
  return {
    durationMs: facts.end - facts.start,
    faults,
    leaderKills: faultStarts.filter((f) => f.kind === 'kill-member' && f.detail === 'leader').length,
    operations: {
      criticalSections: sections.filter((s) => s.done).length,
      sectionsLost: sections.filter((s) => !s.done).length,
      increments: {
        ok: count(writes, 'ok'),
        unknown: count(writes, 'unknown'),
        conflict: count(writes, 'conflict'),
        failed: count(writes, 'failed'),
      },
      dataWrites: { ok: count(dataWrites, 'ok'), unknown: count(dataWrites, 'unknown'), failed: count(dataWrites, 'failed') },
      valuesSeen: eventsOf(facts.events, 'value').length,
      leaderTerms: terms(facts).length,
      registrations: eventsOf(facts.events, 'registration').filter((r) => r.state === 'registered').length,
      discoverViews: eventsOf(facts.events, 'discovered').length,
      sessionsLost: eventsOf(facts.events, 'state').filter((s) => s.state === 'lost').length,
    },
    throughput: {
      before: phase(facts.ready, facts.faultsStart),
      during: phase(facts.faultsStart, facts.faultsEnd),
      after: phase(facts.faultsEnd, facts.end),
    },
    leaderless: {
      count: gaps.length,
      totalMs: length(gaps),
      longestMs: Math.max(0, ...gaps.map((g) => g.to - g.from)),
      afterFaultsMs: length(intersect(gaps, [{ from: facts.faultsEnd, to: facts.end }])),
      gaps,
    },
    excused: { lockOverlaps: excusedSections.length, leaderOverlaps: excusedTerms.length, longestMs: Math.max(0, ...overlapMs) },
  };
}
