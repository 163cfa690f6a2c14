import { describe, expect, it } from 'vitest';
import { checkProgress } from '../../chaos/progress-checks.js';
import { runFacts } from '../../chaos/run-facts.js';
import { lockers, named, SyntheticRun } from './synthetic-log.js';

const check = (run: SyntheticRun) => checkProgress(runFacts(run.events));
const checks = (run: SyntheticRun) => check(run).map((v) => `${v.kind}:${v.check}`);

/** A locker and a writer that work before and after the faults (which end at 40 s). */
function working(): SyntheticRun {
  const run = new SyntheticRun([...lockers(1), ...named('writer', 1)]);
  for (const s of [10, 45]) {
    run.section(s, s + 0.2, 'locker-1', s, s);
    run.line(s, 'writer-1', { ev: 'data-write', value: s, outcome: 'ok' });
  }
  return run;
}

describe('progress checks', () => {
  it('find nothing when every looping participant works after the faults', () => {
    expect(check(working())).toEqual([]);
  });

  it('accept a writer stopped before the end after it wrote', () => {
    const run = working()
      .line(55, 'writer-1', { ev: 'stop' })
      .runner(56, { ev: 'exited', id: 'writer-1', incarnation: 1, code: 0, signal: null, expected: true });
    expect(check(run)).toEqual([]);
  });

  it('find a locker that completes no critical section after the faults stop', () => {
    const run = new SyntheticRun(lockers(1)).section(10, 10.2, 'locker-1', 1, 0).line(39, 'locker-1', { ev: 'want', mode: 'lock' });
    const found = check(run);
    expect(found.map((v) => `${v.kind}:${v.check}`)).toEqual(['liveness:progress']);
    expect(found[0]!.message).toBe('locker-1#1 completed no critical section in the 20.0 s after the faults stopped (last at +10.200s)');
  });

  it('find a process that exited on its own', () => {
    const run = working().runner(30, { ev: 'exited', id: 'writer-1', incarnation: 1, code: 1, signal: null, expected: false });
    expect(checks(run)).toEqual(['safety:crash']);
  });

  it('find recipe stream errors and process warnings', () => {
    const run = working()
      .line(20, 'locker-1', { ev: 'stream-error', what: 'lock', name: 'ServerError', message: 'server error -12' })
      .line(21, 'writer-1', { ev: 'warning', name: 'MaxListenersExceededWarning', message: '11 listeners' })
      .line(22, 'writer-1', { ev: 'warning', name: 'MaxListenersExceededWarning', message: '12 listeners' });
    const found = check(run);
    expect(found.map((v) => `${v.kind}:${v.check}`)).toEqual(['liveness:stream-error', 'liveness:warning']);
    expect(found[1]!.message).toBe('writer-1#1: 2 MaxListenersExceededWarning(s), first: 11 listeners');
  });
});
