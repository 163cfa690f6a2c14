import { describe, expect } from 'vitest';
import type { LockState } from '../../../src/index.js';
import { runWhileHeld } from '../../../src/recipes/run-while-held.js';
import { cases } from '../../helpers/marbles.js';
import { virtualWithdrawal } from './virtual-withdrawal.js';

const states: Record<string, LockState> = {
  W: { state: 'waiting' },
  A: { state: 'acquired', fencingToken: 7n },
  L: { state: 'lost' },
};
const LOST = new Error('lost while the work ran');
const CLOSED = new Error('the client was closed');
const WORK_FAILED = new Error('the work failed');
const STATES_FAILED = new Error('the states failed');
const RELEASE_FAILED = new Error('the release failed');

describe('runWhileHeld', () => {
  cases(
    'runs the work while held, and ends only after the release',
    (m, c) => {
      const states$ = m.cold(c.states, states, STATES_FAILED);
      const work$ = m.cold(c.work, undefined, WORK_FAILED);
      const release = virtualWithdrawal(m, '--|', c.releaseFails ? RELEASE_FAILED : undefined);
      let works = 0;
      const result = runWhileHeld(
        () => ({ states$, withdraw: release.run }),
        () => {
          works++;
          return work$;
        },
        { lost: () => LOST, closed: () => CLOSED },
      );
      m.expect(result, c.unsub).toBeObservable(c.expected, undefined, c.error);
      m.expect(states$).toHaveSubscriptions(c.statesSubs);
      m.expect(work$).toHaveSubscriptions(c.workSubs);
      m.flush();
      expect(works).toBe(c.workSubs.length);
      expect(release.starts).toEqual([m.time(c.releasedAt)]);
    },
    {
      "emits the work's values once acquired, and completes once released": {
        states: '-W-A-------',
        work: '-x-y|',
        expected: '----x-y--|',
        statesSubs: ['^------!'],
        workSubs: ['---^---!'],
        releasedAt: '-------|',
      },
      'lost while the work runs: the work stops, the node goes, then the loss': {
        states: '-W-A--L----',
        work: '-x--------',
        expected: '----x---#',
        error: LOST,
        statesSubs: ['^-----!'],
        workSubs: ['---^--!'],
        releasedAt: '------|',
      },
      'a loss before the work starts is waited out': {
        states: '-W-L-A-----',
        work: '-x|',
        expected: '------x--|',
        statesSubs: ['^------!'],
        workSubs: ['-----^-!'],
        releasedAt: '-------|',
      },
      'the work failing: released, then its error': {
        states: '-A--------',
        work: '-x#',
        expected: '--x--#',
        error: WORK_FAILED,
        statesSubs: ['^--!'],
        workSubs: ['-^-!'],
        releasedAt: '---|',
      },
      'the states ending (a closed client): released, then the closed error': {
        states: '-W-|',
        work: '-x|',
        expected: '-----#',
        error: CLOSED,
        statesSubs: ['^--!'],
        workSubs: [],
        releasedAt: '---|',
      },
      'the states failing: released, then their error': {
        states: '-W#',
        work: '-x|',
        expected: '----#',
        error: STATES_FAILED,
        statesSubs: ['^-!'],
        workSubs: [],
        releasedAt: '--|',
      },
      "a release that fails after the work completed errors with the release's error": {
        states: '-A-------',
        work: '-x|',
        releaseFails: true,
        expected: '--x--#',
        error: RELEASE_FAILED,
        statesSubs: ['^--!'],
        workSubs: ['-^-!'],
        releasedAt: '---|',
      },
      'unsubscribing stops the work and releases, without waiting for it': {
        states: '-W-A-------',
        work: '-x------',
        unsub: '^-----!',
        expected: '----x-',
        statesSubs: ['^-----!'],
        workSubs: ['---^--!'],
        releasedAt: '------|',
      },
    },
  );
});
