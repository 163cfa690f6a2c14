import { describe, expect } from 'vitest';
import { giveUpAfter } from '../../../src/recipes/operators/give-up-after.js';
import { cases } from '../../helpers/marbles.js';
import { virtualWithdrawal } from './virtual-withdrawal.js';

const GAVE_UP = new Error('not reached in time; left');
const LEAVE_FAILED = new Error('could not leave');
const SOURCE_FAILED = new Error('source failed');

describe('giveUpAfter', () => {
  cases(
    'errors only after giving up, and only if the goal is not reached in time',
    (m, c) => {
      const source = m.cold(c.source, undefined, SOURCE_FAILED);
      const leaving = virtualWithdrawal(m, c.leaving ?? '--|', c.leaveFails ? LEAVE_FAILED : undefined);
      const result = source.pipe(
        giveUpAfter({
          timeoutMs: m.time(c.timeout),
          scheduler: m.scheduler,
          reached: (value) => value === 'R',
          giveUp: leaving.run,
          error: () => GAVE_UP,
        }),
      );
      m.expect(result, c.unsub).toBeObservable(c.expected, undefined, c.error ?? GAVE_UP);
      m.expect(source).toHaveSubscriptions(c.subs);
      m.flush();
      expect(leaving.starts).toEqual(c.gaveUpAt === undefined ? [] : [m.time(c.gaveUpAt)]);
    },
    {
      'reached in time: the values pass and the deadline stops': {
        timeout: '----|',
        source: '-a-R----b|',
        expected: '-a-R----b|',
        subs: '^--------!',
      },
      'not reached: the source stops at the deadline, and the error waits for the leaving': {
        timeout: '----|',
        source: '-a-b------',
        expected: '-a-b--#',
        subs: '^---!',
        gaveUpAt: '----|',
      },
      'a leaving that fails delivers its own error': {
        timeout: '----|',
        source: '-a-b------',
        leaveFails: true,
        expected: '-a-b--#',
        error: LEAVE_FAILED,
        subs: '^---!',
        gaveUpAt: '----|',
      },
      'a value that is not the goal does not stop the deadline': {
        timeout: '---|',
        source: 'abc-R-',
        leaving: '|',
        expected: 'abc#',
        subs: '^--!',
        gaveUpAt: '---|',
      },
      'the source ending first ends it, without giving up': { timeout: '----|', source: '-a|', expected: '-a|', subs: '^-!' },
      "the source's error passes, without giving up": {
        timeout: '----|',
        source: '-a#',
        expected: '-a#',
        error: SOURCE_FAILED,
        subs: '^-!',
      },
      'unsubscribing stops the deadline and the source': {
        timeout: '----|',
        source: '-a-b------',
        unsub: '^--!',
        expected: '-a--',
        subs: '^--!',
      },
    },
  );
});
