import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { describe, expect, test } from 'vitest';
import { type ConnectionState } from '../../../src/index.js';
import { type SessionEvent } from '../../../src/advanced.js';
import { connectionStates } from '../../../src/advanced.js';
import { cases, marbles } from '../../helpers/marbles.js';

const events: Record<string, SessionEvent> = {
  c: { type: 'connected', sessionId: 's1' },
  n: { type: 'connected', sessionId: 's2' },
  d: { type: 'disconnected', sessionTimeLeftMs: 5 },
  D: { type: 'disconnected', sessionTimeLeftMs: 50 },
  z: { type: 'disconnected', sessionTimeLeftMs: 0 },
  e: { type: 'expired' },
  a: { type: 'auth-failed' },
  x: { type: 'closed' },
};

const states: Record<string, ConnectionState> = {
  i: 'connecting',
  c: 'connected',
  s: 'suspended',
  r: 'reconnected',
  l: 'lost',
  a: 'auth-failed',
  x: 'closed',
};

/** Wraps a scheduler and keeps the actions that are scheduled and neither ran nor were cancelled. */
function trackingScheduler(inner: SchedulerLike): SchedulerLike & { pending: Set<Subscription> } {
  const pending = new Set<Subscription>();
  return {
    pending,
    now: () => inner.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      const action: Subscription = inner.schedule<T>(
        function (this: SchedulerAction<T>, s?: T) {
          pending.delete(action);
          work.call(this, s);
        },
        delay,
        state,
      );
      pending.add(action);
      action.add(() => pending.delete(action));
      return action;
    },
  };
}

describe('connectionStates', () => {
  cases(
    'turns session events into connection states (d: 5 ms of session left, D: 50 ms)',
    (m, c) => {
      const source = m.cold(c.events, events);
      m.expect(source.pipe(connectionStates(m.scheduler))).toBeObservable(c.expected, states);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'starts in connecting': { events: '-', expected: 'i', subs: '^' },
      'the first session gives connected': { events: '-c', expected: 'ic', subs: '^' },
      'a disconnect before the first session is ignored': { events: '-d-c', expected: 'i--c', subs: '^' },
      'an expiry before the first session is ignored': { events: '-e-c', expected: 'i--c', subs: '^' },
      'a disconnect suspends, and lost follows once the session time left has passed': {
        events: '-c-d------',
        expected: 'ic-s----l-',
        subs: '^',
      },
      'the same session back before the clock runs out gives reconnected and stops the clock': {
        events: '-c-d--c-------',
        expected: 'ic-s--r-------',
        subs: '^',
      },
      'a new session after lost gives connected': {
        events: '-c-d-------n',
        expected: 'ic-s----l--c',
        subs: '^',
      },
      'after lost even the old session id counts as a new session': {
        events: '-c-d-------c',
        expected: 'ic-s----l--c',
        subs: '^',
      },
      'a different session while suspended gives lost, then connected, and stops the clock': {
        events: '-c-d-n----------',
        expected: 'ic-s-(lc)-------',
        subs: '^',
      },
      'expired from the server gives lost at once and stops the clock': {
        events: '-c-d-e------',
        expected: 'ic-s-l------',
        subs: '^',
      },
      'expired while connected gives lost': { events: '-c-e', expected: 'ic-l', subs: '^' },
      'no session time left gives lost at once': { events: '-c-z', expected: 'ic-(sl)', subs: '^' },
      'a second disconnect while suspended does not restart the clock': {
        events: '-c-d-D------',
        expected: 'ic-s----l---',
        subs: '^',
      },
      'a disconnect after reconnected suspends again with a fresh clock': {
        events: '-c-d-c-d------',
        expected: 'ic-s-r-s----l-',
        subs: '^',
      },
      'auth-failed is terminal: later events are ignored until closed': {
        events: '-c-a-c-d-e-x',
        expected: 'ic-a-------(x|)',
        subs: '^----------!',
      },
      'auth-failed stops the session clock': { events: '-c-d-a-------', expected: 'ic-s-a-------', subs: '^' },
      'closed completes the stream': { events: '-c-x', expected: 'ic-(x|)', subs: '^--!' },
      'closed while suspended completes without lost': { events: '-c-d-x---', expected: 'ic-s-(x|)', subs: '^----!' },
      'closed before the first session completes': { events: '-x', expected: 'i(x|)', subs: '^!' },
      'an error of the source passes through': { events: '-c-#', expected: 'ic-#', subs: '^--!' },
      'completion of the source passes through': { events: '-c-|', expected: 'ic-|', subs: '^--!' },
    },
  );

  test(
    'unsubscribing while suspended tears down the source and cancels the session clock',
    marbles((m) => {
      const scheduler = trackingScheduler(m.scheduler);
      const source = m.cold('-c-d------', events);
      m.expect(source.pipe(connectionStates(scheduler)), '^----!').toBeObservable('ic-s--', states);
      m.expect(source).toHaveSubscriptions('^----!');
      m.flush();
      expect(scheduler.pending.size).toBe(0);
    }),
  );

  test(
    'the session clock is armed while suspended (the check above can fail)',
    marbles((m) => {
      const scheduler = trackingScheduler(m.scheduler);
      const source = m.cold('-c-d-', events);
      const seen: ConnectionState[] = [];
      source.pipe(connectionStates(scheduler)).subscribe((s) => seen.push(s));
      m.scheduler.schedule(() => {
        expect(seen.at(-1)).toBe('suspended');
        expect(scheduler.pending.size).toBe(1);
      }, 4);
      m.flush();
      expect(seen.at(-1)).toBe('lost');
      expect(scheduler.pending.size).toBe(0);
    }),
  );
});
