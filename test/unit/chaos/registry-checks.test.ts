import { describe, expect, it } from 'vitest';
import type { ParticipantSpec } from '../../chaos/events.js';
import { checkRegistry } from '../../chaos/registry-checks.js';
import { runFacts } from '../../chaos/run-facts.js';
import { SyntheticRun } from './synthetic-log.js';

const check = (run: SyntheticRun) => checkRegistry(runFacts(run.events));
const checks = (run: SyntheticRun) => check(run).map((v) => `${v.kind}:${v.check}`);
const roster: ParticipantSpec[] = [
  { id: 'r1', role: 'registrant' },
  { id: 'r2', role: 'registrant' },
  { id: 'discoverer-1', role: 'discoverer' },
];
const D = 'discoverer-1';
const registered = (run: SyntheticRun, s: number, id: string, inc = 1) => run.line(s, id, { ev: 'registration', state: 'registered' }, inc);
const sees = (run: SyntheticRun, s: number, ids: string[]) => run.line(s, D, { ev: 'discovered', ids });

/** Both register at 1 s; the discoverer sees them at once. */
function steady(): SyntheticRun {
  const run = new SyntheticRun(roster);
  registered(run, 1, 'r1');
  registered(run, 1, 'r2');
  sees(run, 0.5, []);
  return sees(run, 1.1, ['r1', 'r2']);
}

describe('registry checks', () => {
  it('find nothing when the discoverer follows the registrants', () => {
    expect(check(steady())).toEqual([]);
  });

  it('find an id listed twice', () => {
    expect(checks(sees(steady(), 3, ['r1', 'r1', 'r2']))).toEqual(['safety:discover-duplicate']);
  });

  it('find a registered instance the discoverer does not list a session timeout + 2 s later', () => {
    const run = new SyntheticRun(roster);
    registered(run, 1, 'r1');
    registered(run, 1, 'r2');
    sees(run, 1.1, ['r1']);
    const found = check(run);
    expect(found.map((v) => `${v.kind}:${v.check}`)).toEqual(['liveness:discover-convergence']);
    expect(found[0]!.message).toContain('discoverer-1#1 does not list r2 at +7.000s, 6.0 s after r2 registered');
  });

  it('find a crashed instance still listed a window after it went, counted from the last ensemble election', () => {
    const crashed = () => {
      const run = steady();
      run.runner(10, { ev: 'exited', id: 'r2', incarnation: 1, code: null, signal: 'SIGKILL', expected: true });
      run.runner(3, { ev: 'ensemble-leader', leader: 0 }).runner(12, { ev: 'ensemble-leader', leader: 1 });
      return sees(run, 17, ['r1', 'r2']);
    };
    expect(checks(sees(crashed(), 17.9, ['r1']))).toEqual(['liveness:registrant-final']);
    const found = check(crashed());
    expect(found.map((v) => v.check)).toEqual(['discover-convergence', 'registrant-final']);
    expect(found[0]!.message).toContain(
      "still lists r2 at +18.000s, 8.0 s after r2 went (at +10.000s), 6.0 s after the ensemble's last election",
    );
    expect(found[1]!.message).toBe('no process of r2 runs at the end');
  });

  it('accept a fast restart: the id stays listed, the new incarnation waits and registers', () => {
    const run = steady();
    run.runner(10, { ev: 'exited', id: 'r2', incarnation: 1, code: null, signal: 'SIGKILL', expected: true });
    run.spawn(10.2, 'r2', 'registrant', 2);
    run.line(10.3, 'r2', { ev: 'registration', state: 'waiting-for-stale' }, 2);
    registered(run, 14.5, 'r2', 2);
    sees(run, 14.1, ['r1']);
    sees(run, 14.6, ['r1', 'r2']);
    expect(check(run)).toEqual([]);
  });

  it('find a restarted instance that is not registered at the end', () => {
    const run = steady();
    run.runner(10, { ev: 'exited', id: 'r2', incarnation: 1, code: null, signal: 'SIGKILL', expected: true });
    run.spawn(10.2, 'r2', 'registrant', 2);
    run.line(10.3, 'r2', { ev: 'registration', state: 'waiting-for-stale' }, 2);
    sees(run, 14.1, ['r1']);
    const found = check(run);
    expect(found.map((v) => `${v.kind}:${v.check}`)).toEqual(['liveness:registrant-final']);
    expect(found[0]!.message).toContain('r2#2 is not registered at the end (last state: waiting-for-stale)');
  });

  it('hold an instance hit by a fault to nothing until it registers again', () => {
    const run = steady();
    run.runner(10, { ev: 'fault', kind: 'expire-session', phase: 'start', target: 'r1' });
    run.runner(10.5, { ev: 'fault', kind: 'expire-session', phase: 'end', target: 'r1' });
    sees(run, 10.2, ['r2']);
    run.line(11, 'r1', { ev: 'registration', state: 'registering' });
    registered(run, 11.5, 'r1');
    expect(checks(run)).toEqual(['liveness:discover-convergence']);
    sees(run, 12, ['r1', 'r2']);
    expect(check(run)).toEqual([]);
  });

  it('hold a discoverer to nothing until it has been live for a whole window', () => {
    const run = steady();
    run.state(5, D, 'suspended');
    registered(run.line(6, 'r2', { ev: 'registration', state: 'suspended' }), 8, 'r2');
    run.state(20, D, 'reconnected');
    sees(run, 20.5, ['r1']);
    expect(checks(run)).toEqual(['liveness:discover-convergence']);
    expect(check(run)[0]!.message).toContain('at +26.000s');
  });
});
