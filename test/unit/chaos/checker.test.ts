import { describe, expect, it } from 'vitest';
import { checkRun } from '../../chaos/checker.js';
import { parseLog } from '../../chaos/events.js';
import { formatReport, reportJson } from '../../chaos/report.js';
import { lockers, named, SyntheticRun } from './synthetic-log.js';

/** A small run of every role, clean: lockers take turns, one leader, both instances listed, values climb. */
function cleanRun(): SyntheticRun {
  const run = new SyntheticRun([
    ...lockers(2),
    ...named('candidate', 2),
    { id: 'registrant-1', role: 'registrant' },
    ...named('discoverer', 1),
    ...named('writer', 1),
    ...named('watcher', 1),
  ]);
  run.runner(1, { ev: 'ready' });
  run.runner(10, { ev: 'fault', kind: 'kill-member', phase: 'start', target: 'member-0', detail: 'leader' });
  run.runner(12, { ev: 'fault', kind: 'kill-member', phase: 'end', target: 'member-0' });
  let counter = 0;
  for (let s = 1; s < 59; s += 1) {
    run.section(s, s + 0.4, s % 2 ? 'locker-1' : 'locker-2', s, counter++);
    run.line(s, 'writer-1', { ev: 'data-write', value: s, outcome: 'ok' });
    run.line(s + 0.1, 'watcher-1', { ev: 'value', value: s });
  }
  run.runner(60, { ev: 'final', data: 58, counter });
  run.leads(1, 'candidate-1', true, 'candidate-1').leads(1, 'candidate-2', false, 'candidate-1');
  run.line(1, 'registrant-1', { ev: 'registration', state: 'registered' });
  return run.line(1.1, 'discoverer-1', { ev: 'discovered', ids: ['registrant-1'] });
}

describe('checkRun', () => {
  it('finds nothing in a clean run and counts what it did', () => {
    const { violations, stats } = checkRun(cleanRun().events);
    expect(violations).toEqual([]);
    expect(stats.faults['kill-member']).toBe(1);
    expect(stats.leaderKills).toBe(1);
    expect(stats.operations.criticalSections).toBe(58);
    expect(stats.operations.increments.ok).toBe(58);
    expect(stats.throughput.before.sectionsPerS).toBeCloseTo(1, 0);
    expect(stats.operations.leaderTerms).toBe(1);
  });

  it('reports each violation with the lines that show it, as read from the log files', () => {
    // locker-2 holds from 30 s to 30.4 s with token 30; locker-1 enters beside it with the same token.
    const run = cleanRun()
      .line(30.2, 'locker-1', { ev: 'enter', token: '30' })
      .line(30.3, 'locker-1', { ev: 'exit', token: '30', reason: 'done' });
    const text = run.events.filter((e) => e.p === 'locker-1').map((e) => JSON.stringify(e)).join('\n');
    const events = [...run.events.filter((e) => e.p !== 'locker-1'), ...parseLog('locker-1.1.jsonl', `${text}\n{"torn`)];
    const result = checkRun(events);
    expect(result.violations.map((v) => `${v.kind}:${v.check}`)).toEqual(['safety:lock-overlap', 'safety:fencing-token']);
    const summary = { seed: 7, durationMs: 60_000, external: false, outDir: 'logs' };
    const report = formatReport(result, summary);
    expect(report).toContain('safety       2 violation(s): 1 lock-overlap, 1 fencing-token');
    expect(report).toMatch(/locker-1\.1\.jsonl:\d+ {2}\{"t":\d+,"mono":30200,"p":"locker-1","inc":1,"ev":"enter","token":"30"\}/);
    expect(reportJson(result, summary).safety[0]!.lines).toHaveLength(3);
  });
});
