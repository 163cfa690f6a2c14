import { describe, expect, it } from 'vitest';
import type { ParticipantSpec } from '../../chaos/events.js';
import { faultSchedule, LEADING_CANDIDATE, RESTART_ALLOWANCE_MS, type ScheduleOptions } from '../../chaos/schedule.js';

const participants: ParticipantSpec[] = [
  { id: 'locker-1', role: 'locker', mode: 'withLock' },
  { id: 'candidate-1', role: 'candidate' },
  { id: 'candidate-2', role: 'candidate' },
  { id: 'registrant-1', role: 'registrant' },
  { id: 'registrant-2', role: 'registrant' },
  { id: 'watcher-1', role: 'watcher' },
];
const options: ScheduleOptions = {
  seed: 42,
  durationMs: 300_000,
  warmupMs: 3_000,
  quietMs: 15_000,
  sessionTimeoutMs: 4_000,
  participants,
  killMembers: true,
};

describe('faultSchedule', () => {
  it('plans the same faults from the same seed, and others from another', () => {
    expect(faultSchedule(options)).toEqual(faultSchedule(options));
    expect(faultSchedule({ ...options, seed: 43 })).not.toEqual(faultSchedule(options));
  });

  it('keeps every fault between the warm-up and the quiet end', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const schedule = faultSchedule({ ...options, seed });
      expect(schedule.faultsEnd).toBe(285_000);
      for (const f of schedule.members) {
        expect(f.at).toBeGreaterThanOrEqual(3_000);
        if (f.kind === 'kill-member') expect(f.at + f.downMs + RESTART_ALLOWANCE_MS).toBeLessThanOrEqual(285_000);
      }
      for (const f of schedule.participants) {
        expect(f.at).toBeGreaterThanOrEqual(3_000);
        if (f.kind === 'blackhole') expect(f.at + f.holdMs).toBeLessThanOrEqual(285_000);
      }
    }
  });

  it('kills members every few seconds, the leader about a third of the time', () => {
    const kills = faultSchedule(options).members;
    expect(kills.length).toBeGreaterThan(30);
    const leaders = kills.filter((k) => k.kind === 'kill-member' && k.target === 'leader').length;
    expect(leaders / kills.length).toBeGreaterThan(0.2);
    expect(leaders / kills.length).toBeLessThan(0.45);
  });

  it('blackholes past the session timeout, cuts for less, restarts only registrants, and never hits one participant twice at once', () => {
    const faults = faultSchedule(options).participants;
    expect(new Set(faults.map((f) => f.kind))).toEqual(new Set(['blackhole', 'cut-connection', 'expire-session', 'restart-registrant']));
    for (const f of faults) {
      if (f.kind === 'blackhole') expect(f.holdMs).toBeGreaterThan(4_000);
      if (f.kind === 'cut-connection') expect(f.holdMs).toBeLessThan(4_000);
      if (f.kind === 'restart-registrant') expect(f.participant).toMatch(/^registrant-/);
    }
    const blackholes = faults.filter((f) => f.kind === 'blackhole');
    for (const [i, a] of blackholes.entries()) {
      for (const b of blackholes.slice(i + 1)) {
        if (a.kind === 'blackhole' && a.participant === b.participant) expect(b.at).toBeGreaterThanOrEqual(a.at + a.holdMs);
      }
    }
  });

  it('aims some blackholes, cuts and expiries at whichever candidate leads, and lockers more often than the rest', () => {
    const faults = faultSchedule(options).participants.filter((f) => f.kind !== 'restart-registrant');
    const share = (id: string) => faults.filter((f) => 'participant' in f && f.participant === id).length / faults.length;
    expect(share(LEADING_CANDIDATE)).toBeGreaterThan(0.1);
    expect(share('locker-1')).toBeGreaterThan(share('watcher-1'));
  });

  it('kills no member of an ensemble it does not own', () => {
    const schedule = faultSchedule({ ...options, killMembers: false });
    expect(schedule.members).toEqual([]);
    expect(schedule.participants.length).toBeGreaterThan(0);
  });

  it('plans nothing when the run is all warm-up and quiet', () => {
    const schedule = faultSchedule({ ...options, durationMs: 10_000 });
    expect(schedule.members).toEqual([]);
    expect(schedule.participants).toEqual([]);
  });
});
