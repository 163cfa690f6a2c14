import { describe, expect, it } from 'vitest';
import { twoPhaseDecision, type Stat, type TwoPhaseOutcome, type Vote, type ZNode } from '../../../src/index.js';
import { decodeVotes, tallyVotes } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';

const votes = (entries: Record<string, Vote>) => new Map(Object.entries(entries));
const PARTICIPANTS = ['db', 'mail'];

const inputs = {
  e: votes({}),
  d: votes({ db: 'commit' }),
  x: votes({ stranger: 'abort', db: 'commit' }), // a non-participant's vote does not count
  c: votes({ db: 'commit', mail: 'commit' }),
  a: votes({ mail: 'abort' }),
};
const outcomes: Record<string, TwoPhaseOutcome> = {
  C: { decision: 'commit', reason: 'unanimous' },
  A: { decision: 'abort', reason: 'vote-abort' },
  T: { decision: 'abort', reason: 'timeout' },
};

describe('twoPhaseDecision', () => {
  cases(
    'decides once, from the votes or the timeout',
    (m, c) => {
      const source = m.cold(c.source, inputs);
      const decided = source.pipe(twoPhaseDecision(PARTICIPANTS, m.time(c.timeout), m.scheduler));
      m.expect(decided).toBeObservable(c.expected, outcomes);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'every participant commits': { timeout: '----------|', source: 'e-d-c-', expected: '----(C|)', subs: '^---!' },
      'an abort decides at once, without waiting for the others': {
        timeout: '----------|',
        source: 'e-a---',
        expected: '--(A|)',
        subs: '^-!',
      },
      'a participant that never votes counts as abort after the timeout': {
        timeout: '-----|',
        source: 'e-d-x-----',
        expected: '-----(T|)',
        subs: '^----!',
      },
      'the decision is made once': { timeout: '----------|', source: 'c-a-c', expected: '(C|)', subs: '(^!)' },
      'votes that complete undecided complete it': { timeout: '----------|', source: 'e-d|', expected: '---|', subs: '^--!' },
      'errors pass through': { timeout: '----------|', source: 'e-#', expected: '--#', subs: '^-!' },
    },
  );

  cases(
    'teardown',
    (m, c) => {
      const source = m.cold(c.source, inputs);
      const decided = source.pipe(twoPhaseDecision(PARTICIPANTS, m.time('-----|'), m.scheduler));
      m.expect(decided, c.unsubscribe).toBeObservable(c.expected, outcomes);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'unsubscribing before the timeout stops the timer and the votes': {
        source: 'e-d-',
        unsubscribe: '^--!',
        expected: '---',
        subs: '^--!',
      },
    },
  );
});

describe('tallyVotes', () => {
  it.each([
    ['nobody voted', {}, null],
    ['some committed', { db: 'commit' }, null],
    ['all committed', { db: 'commit', mail: 'commit' }, { decision: 'commit', reason: 'unanimous' }],
    ['one aborted', { db: 'commit', mail: 'abort' }, { decision: 'abort', reason: 'vote-abort' }],
    ['an outsider aborted', { db: 'commit', mail: 'commit', x: 'abort' }, { decision: 'commit', reason: 'unanimous' }],
  ] as const)('%s', (_name, given, expected) => {
    expect(tallyVotes(PARTICIPANTS, votes(given as Record<string, Vote>))).toEqual(expected);
  });
});

describe('decodeVotes', () => {
  const node = (id: string, data: string): [string, ZNode] => [
    id,
    { path: `/tx/votes/${id}`, data: Buffer.from(data), stat: { version: 0 } as Stat },
  ];
  it('reads commit as commit and anything else as abort', () => {
    const decoded = decodeVotes(new Map([node('a', 'commit'), node('b', 'abort'), node('c', 'yes please'), node('d', '')]));
    expect(Object.fromEntries(decoded)).toEqual({ a: 'commit', b: 'abort', c: 'abort', d: 'abort' });
  });
});
