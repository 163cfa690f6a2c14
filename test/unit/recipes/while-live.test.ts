import { describe, expect } from 'vitest';
import { AuthFailedError, whileLive, type ConnectionState } from '../../../src/index.js';
import { cases } from '../../helpers/marbles.js';

const states: Record<string, ConnectionState> = {
  c: 'connected',
  s: 'suspended',
  r: 'reconnected',
  l: 'lost',
  x: 'closed',
  a: 'auth-failed',
  g: 'connecting',
};
const values = { L: 'live', S: 'not:suspended', M: 'not:lost', G: 'not:connecting' };

describe('whileLive', () => {
  cases(
    'runs the live check only while live, and starts it afresh on every state',
    (m, c) => {
      const source = m.hot(c.states, states);
      const checks: ReturnType<typeof m.cold>[] = [];
      const result = source.pipe(
        whileLive(
          () => {
            const check = m.cold<string>(c.check, values);
            checks.push(check);
            return check;
          },
          (state) => `not:${state}`,
        ),
      );
      m.expect(result, c.unsub).toBeObservable(c.expected, values, new AuthFailedError("the server rejected the client's credentials", { code: -115 }));
      m.flush();
      // Every check started, and when each was stopped.
      expect(checks).toHaveLength(c.checkSubs.length);
      checks.forEach((check, i) => m.expect(check).toHaveSubscriptions(c.checkSubs[i]!));
    },
    {
      'a suspension cancels a check in progress and says so at once': {
        states: 'cs--r------',
        check: '--L',
        expected: '-S----L----',
        checkSubs: ['^!', '----^'],
      },
      'before the first session it is not live': { states: 'g--c---', check: '-L', expected: 'G---L--', checkSubs: ['---^'] },
      'lost, then a new session starts over': {
        states: 'c---l--c---',
        check: '-L',
        expected: '-L--M---L--',
        checkSubs: ['^---!', '-------^'],
      },
      'a newer session restarts even though the state name repeats': {
        states: 'c--c---',
        check: '-L',
        expected: '-L--L--',
        checkSubs: ['^--!', '---^'],
      },
      'a repeated non-live state is folded': { states: 'c-ss--', check: '-L', expected: '-LS---', checkSubs: ['^-!'] },
      'closed completes and stops the check': { states: 'c---x', check: '-L--------', expected: '-L--|', checkSubs: ['^---!'] },
      'auth-failed errors': { states: 'c--a', check: '-L', expected: '-L-#', checkSubs: ['^--!'] },
      'unsubscribing stops the check': { states: 'c-------', check: '-L------', unsub: '^--!', expected: '-L--', checkSubs: ['^--!'] },
    },
  );
});
