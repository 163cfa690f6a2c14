import { describe, expect, it } from 'vitest';
import { checkLeadership, leaderlessGaps } from '../../chaos/leadership-checks.js';
import { runFacts } from '../../chaos/run-facts.js';
import { runStats } from '../../chaos/run-stats.js';
import { named, SyntheticRun } from './synthetic-log.js';

const check = (run: SyntheticRun) => checkLeadership(runFacts(run.events), { stallMs: 3_000 });
const checks = (run: SyntheticRun) => check(run).map((v) => `${v.kind}:${v.check}`);

/**
 * candidate-1 leads, is suspended and steps down; candidate-2 takes over; candidate-1 is back on a
 * new session at 9 s and follows it. `followed`: whether candidate-3 hears of the new leader.
 */
function handover(followed = true): SyntheticRun {
  const run = new SyntheticRun(named('candidate', 3))
    .leads(1, 'candidate-1', true, 'candidate-1')
    .leads(1, 'candidate-2', false, 'candidate-1')
    .leads(1, 'candidate-3', false, 'candidate-1')
    .state(5, 'candidate-1', 'suspended')
    .leads(5, 'candidate-1', false, null)
    .leads(7, 'candidate-2', true, 'candidate-2')
    .state(8, 'candidate-1', 'lost')
    .state(9, 'candidate-1', 'connected')
    .leads(9.1, 'candidate-1', false, 'candidate-2');
  return followed ? run.leads(7.1, 'candidate-3', false, 'candidate-2') : run;
}

describe('leadership checks', () => {
  it('find nothing in a clean handover, and measure the leaderless gap', () => {
    const run = handover();
    expect(check(run)).toEqual([]);
    expect(leaderlessGaps(runFacts(run.events))).toEqual([{ from: 5_000, to: 7_000 }]);
  });

  it('find two candidates that believed they led at the same instant', () => {
    const run = handover().leads(4, 'candidate-3', true, 'candidate-3').leads(4.5, 'candidate-3', false, 'candidate-2');
    const found = check(run);
    expect(found.map((v) => `${v.kind}:${v.check}`)).toEqual(['safety:two-leaders']);
    expect(found[0]!.message).toContain('candidate-3#1 believed it led from +4.000s while candidate-1#1');
  });

  it('excuse a leader whose session was ended from outside for the moment before it is told, and only that long', () => {
    const expired = (stepsDownAt: number) =>
      handover()
        .runner(30, { ev: 'fault', kind: 'expire-session', phase: 'start', target: 'candidate-2' })
        .leads(30.05, 'candidate-3', true, 'candidate-3')
        // A follower hears of the new leader before the old one is told it lost: not stale.
        .leads(30.055, 'candidate-1', false, 'candidate-3')
        .state(30.06, 'candidate-2', 'suspended')
        .leads(stepsDownAt, 'candidate-2', false, null)
        .runner(30.1, { ev: 'fault', kind: 'expire-session', phase: 'end', target: 'candidate-2' })
        .leads(31, 'candidate-2', false, 'candidate-3')
        .leads(31, 'candidate-1', false, 'candidate-3');
    const excused = runStats(runFacts(expired(30.06).events)).excused;
    expect(check(expired(30.06))).toEqual([]);
    expect(excused).toEqual({ lockOverlaps: 0, leaderOverlaps: 1, longestMs: expect.closeTo(10, 3) });
    // Told late, it still leads by its own account: two leaders (and the follower naming the new one is counted too).
    expect(checks(expired(30.5))).toEqual(['safety:two-leaders', 'liveness:leader-convergence']);
  });

  it('find a follower that still names the old leader a window after the change (a stale leaderId), and at the end', () => {
    const found = check(handover(false));
    expect(found.map((v) => `${v.kind}:${v.check}`)).toEqual(['liveness:leader-convergence', 'liveness:leader-agreement']);
    expect(found[0]!.message).toBe(
      'candidate-3#1 names candidate-1 as leader at +13.000s, but candidate-2#1 has led since +7.000s (6.0 s; the window is 6.0 s)',
    );
    expect(found[1]!.message).toContain('candidate-3#1 says candidate-1');
  });

  it('give a follower a window to follow a new leader, and hold it to nothing while its session is not live', () => {
    const slow = new SyntheticRun(named('candidate', 2))
      .leads(1, 'candidate-1', true, 'candidate-1')
      .leads(1, 'candidate-2', false, 'candidate-1')
      .leads(5, 'candidate-1', false, null)
      .state(5, 'candidate-1', 'suspended')
      .leads(7, 'candidate-2', true, 'candidate-2')
      .state(8, 'candidate-1', 'connected')
      .leads(13.9, 'candidate-1', false, 'candidate-2');
    expect(check(slow)).toEqual([]);
    expect(checks(slow.leads(14.1, 'candidate-1', false, 'candidate-1'))).toContain('liveness:leader-convergence');
    const late = new SyntheticRun(named('candidate', 2))
      .leads(1, 'candidate-1', true, 'candidate-1')
      .leads(1, 'candidate-2', false, 'candidate-1')
      .state(5, 'candidate-1', 'suspended')
      .leads(5, 'candidate-1', false, null)
      .state(6, 'candidate-1', 'connected')
      .leads(6, 'candidate-1', true, 'candidate-1')
      .state(6.5, 'candidate-2', 'suspended')
      .leads(6.5, 'candidate-2', false, null)
      .state(11, 'candidate-2', 'reconnected')
      .leads(11.1, 'candidate-2', false, 'candidate-1');
    expect(check(late)).toEqual([]);
  });

  it('find an election that ends without a leader', () => {
    const run = handover().leads(30, 'candidate-2', false, null).state(30, 'candidate-2', 'suspended');
    expect(checks(run)).toEqual(['liveness:leader-agreement']);
  });

  it('find an election left leaderless while every candidate was live (a stall)', () => {
    const run = new SyntheticRun(named('candidate', 2))
      .leads(1, 'candidate-1', true, 'candidate-1')
      .leads(1, 'candidate-2', false, 'candidate-1')
      .leads(5, 'candidate-1', false, 'candidate-2')
      .leads(12, 'candidate-2', true, 'candidate-2');
    expect(checks(run)).toEqual(['liveness:election-stall']);
  });

  it('do not count a leaderless stretch while the ensemble itself had no leader', () => {
    const run = new SyntheticRun(named('candidate', 2))
      .runner(1, { ev: 'ensemble-leader', leader: 0 })
      .leads(1, 'candidate-1', true, 'candidate-1')
      .leads(1, 'candidate-2', false, 'candidate-1')
      .runner(4.9, { ev: 'ensemble-leader', leader: null })
      .leads(5, 'candidate-1', false, 'candidate-2')
      .runner(11.5, { ev: 'ensemble-leader', leader: 2 })
      .leads(12, 'candidate-2', true, 'candidate-2');
    expect(check(run)).toEqual([]);
  });
});
