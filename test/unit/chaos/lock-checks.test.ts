import { describe, expect, it } from 'vitest';
import { checkLocks } from '../../chaos/lock-checks.js';
import { runFacts } from '../../chaos/run-facts.js';
import { lockers, SyntheticRun } from './synthetic-log.js';

const check = (run: SyntheticRun) => checkLocks(runFacts(run.events), { stallMs: 3_000 });
const checks = (run: SyntheticRun) => check(run).map((v) => `${v.kind}:${v.check}`);

/** Two lockers taking turns cleanly; the final counter is 3. */
function turns(): SyntheticRun {
  return new SyntheticRun(lockers(2))
    .section(1, 1.5, 'locker-1', 10, 0)
    .section(1.5, 2, 'locker-2', 12, 1, 10)
    .section(2, 2.5, 'locker-1', 15, 2, 12)
    .runner(60, { ev: 'final', counter: 3 });
}

describe('lock checks', () => {
  it('find nothing in lockers that take turns', () => {
    expect(check(turns())).toEqual([]);
  });

  it('find two critical sections that overlap, quoting both entries', () => {
    const run = turns()
      .line(3, 'locker-1', { ev: 'enter', token: '20' })
      .line(3.5, 'locker-2', { ev: 'enter', token: '21' })
      .line(4, 'locker-1', { ev: 'exit', token: '20', reason: 'done' })
      .line(4.5, 'locker-2', { ev: 'exit', token: '21', reason: 'done' });
    const found = check(run);
    expect(found.map((v) => v.check)).toEqual(['lock-overlap']);
    expect(found[0]!.kind).toBe('safety');
    expect(found[0]!.message).toContain('locker-2#1 entered the critical section (token 21) at +3.500s');
    expect(found[0]!.lines.map((l) => l.ev)).toEqual(['enter', 'enter', 'exit']);
  });

  it('excuse an overlap when the earlier holder had been told lost first', () => {
    const run = turns()
      .line(3, 'locker-1', { ev: 'enter', token: '20' })
      .line(3.4, 'locker-1', { ev: 'lost', token: '20' })
      .line(3.5, 'locker-2', { ev: 'enter', token: '21' })
      .line(3.6, 'locker-1', { ev: 'exit', token: '20', reason: 'lost' })
      .line(4.5, 'locker-2', { ev: 'exit', token: '21', reason: 'done' });
    expect(check(run)).toEqual([]);
  });

  it('excuse a holder whose session was ended from outside for the moment before it is told, and only that long', () => {
    const expired = (exitAt: number) =>
      turns()
        .line(3, 'locker-1', { ev: 'enter', token: '20' })
        .runner(3.2, { ev: 'fault', kind: 'expire-session', phase: 'start', target: 'locker-1' })
        .line(3.25, 'locker-2', { ev: 'enter', token: '21' })
        .state(3.26, 'locker-1', 'suspended')
        .line(exitAt, 'locker-1', { ev: 'exit', token: '20', reason: 'lost' })
        .line(4.5, 'locker-2', { ev: 'exit', token: '21', reason: 'done' });
    expect(check(expired(3.26))).toEqual([]);
    expect(checks(expired(3.5))).toEqual(['safety:lock-overlap']);
  });

  it('end a section that was never closed with its holder: an unclosed one overlaps every later one', () => {
    const run = turns().line(3, 'locker-1', { ev: 'enter', token: '20' }).line(5, 'locker-2', { ev: 'enter', token: '21' });
    expect(checks(run)).toContain('safety:lock-overlap');
  });

  it('find a fencing token lower than an earlier holder’s', () => {
    const run = turns().section(3, 3.5, 'locker-2', 14, 3);
    expect(checks(run)).toContain('safety:fencing-token');
  });

  it('find two holders with the same token', () => {
    const run = turns().section(3, 3.5, 'locker-2', 15, 3).runner(60, { ev: 'final', counter: 4 });
    expect(checks(run)).toEqual(['safety:fencing-token']);
  });

  it('allow a holder to get the lock back with its own token after a reconnect', () => {
    const run = turns().section(3, 3.5, 'locker-1', 15, 3, 15).runner(60, { ev: 'final', counter: 4 });
    expect(check(run)).toEqual([]);
  });

  it('find a holder reading a counter already written under a newer token', () => {
    const run = turns().section(3, 3.5, 'locker-2', 16, 3, 17).runner(60, { ev: 'final', counter: 4 });
    expect(checks(run)).toEqual(['safety:fencing-token']);
  });

  it('find a counter that moved forward under an older token', () => {
    const run = turns()
      .line(3, 'locker-2', { ev: 'write', token: '11', from: 3, to: 4, outcome: 'ok', held: false })
      .runner(60, { ev: 'final', counter: 4 });
    expect(checks(run)).toEqual(['safety:fencing-token']);
  });

  it('find two acknowledged increments from the same value (a lost update)', () => {
    const run = turns().line(3, 'locker-2', { ev: 'write', token: '15', from: 2, to: 3, outcome: 'ok', held: false });
    expect(checks(run)).toContain('safety:lost-update');
  });

  it('find a final counter lower than the acknowledged increments', () => {
    const run = turns().runner(61, { ev: 'final', counter: 2 });
    const found = check(run);
    expect(found.map((v) => v.check)).toEqual(['lost-update']);
    expect(found[0]!.message).toContain('3 increments were acknowledged: 1 lost');
  });

  it('accept a final counter that counts an unanswered increment, and refuse one beyond every attempt', () => {
    const run = turns().line(3, 'locker-2', { ev: 'write', token: '16', from: 3, to: 4, outcome: 'unknown', held: true });
    expect(check(run.runner(61, { ev: 'final', counter: 4 }))).toEqual([]);
    expect(checks(run.runner(62, { ev: 'final', counter: 5 }))).toEqual(['safety:lost-update']);
  });

  it('find a conditional set that conflicted while its holder still held the lock', () => {
    const run = turns().line(2.4, 'locker-1', { ev: 'write', token: '15', from: 2, to: 3, outcome: 'conflict', held: true });
    expect(checks(run)).toEqual(['safety:lost-update']);
  });

  it('accept a conflict answered after the holder was told lost', () => {
    const run = turns().line(2.4, 'locker-1', { ev: 'write', token: '15', from: 2, to: 3, outcome: 'conflict', held: false });
    expect(check(run)).toEqual([]);
  });

  it('find a lock left free while lockers queue on live sessions (a stall)', () => {
    const run = turns()
      .line(2.6, 'locker-2', { ev: 'want', mode: 'withLock' })
      .state(2.65, 'locker-1', 'lost')
      .state(2.7, 'locker-1', 'connected')
      .line(7, 'locker-2', { ev: 'enter', token: '30' })
      .line(7.2, 'locker-2', { ev: 'exit', token: '30', reason: 'done' })
      .line(7.2, 'locker-2', { ev: 'released' });
    const found = check(run);
    expect(found.map((v) => `${v.kind}:${v.check}`)).toEqual(['liveness:lock-stall']);
    expect(found[0]!.message).toContain('free for 4.3 s from +2.700s');
    expect(found[0]!.message).toContain('locker-1#1 had come back on a new session at +2.700s');
  });

  it('do not call it a stall while a locker’s session is suspended, nor while it is under a fault', () => {
    const run = turns()
      .line(2.6, 'locker-2', { ev: 'want', mode: 'withLock' })
      .state(2.6, 'locker-1', 'suspended')
      .state(5, 'locker-1', 'reconnected')
      .runner(4.5, { ev: 'fault', kind: 'blackhole', phase: 'start', target: 'locker-2' })
      .runner(8, { ev: 'fault', kind: 'blackhole', phase: 'end', target: 'locker-2' })
      .line(9, 'locker-2', { ev: 'enter', token: '30' })
      .line(9.2, 'locker-2', { ev: 'exit', token: '30', reason: 'done' })
      .line(9.2, 'locker-2', { ev: 'released' });
    expect(check(run)).toEqual([]);
  });
});
