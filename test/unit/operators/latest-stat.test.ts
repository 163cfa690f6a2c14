import { describe, expect, it } from 'vitest';
import { latestStat } from '../../../src/index.js';
import { isNewerStat } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';
import { stat } from '../../helpers/nodes.js';

const values = {
  n: null,
  a: stat(10, 10),
  b: stat(10, 12),
  c: stat(10, 12), // the same state as b, another object
  o: stat(10, 11), // older than b
  r: stat(20, 20), // deleted and re-created: version 0 again
  k: stat(10, 12, { numChildren: 3, pzxid: 15n }), // only the children changed: not a change for exists$
};

describe('latestStat', () => {
  cases(
    'passes real changes of a node\'s stat only, never an older one',
    (m, c) => {
      const source = m.cold(c.source, values);
      m.expect(source.pipe(latestStat()), c.unsubscribe).toBeObservable(c.expected, values);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'absent, created, changed, deleted': { source: 'n-a-b-n|', expected: 'n-a-b-n|', subs: '^------!' },
      'a repeated state is dropped': { source: 'a-b-c-|', expected: 'a-b---|', subs: '^-----!' },
      'an older state after a newer one is dropped': { source: 'a-b-o-|', expected: 'a-b---|', subs: '^-----!' },
      'deleted and re-created at the same version passes': { source: 'a-n-r-|', expected: 'a-n-r-|', subs: '^-----!' },
      're-created without the deletion being seen passes': { source: 'b-r-|', expected: 'b-r-|', subs: '^---!' },
      'an older incarnation after a newer one is dropped': { source: 'r-a-|', expected: 'r---|', subs: '^---!' },
      'a change of children alone is not a change': { source: 'b-k-|', expected: 'b---|', subs: '^---!' },
      'null repeated is dropped': { source: 'n-n-a|', expected: 'n---a|', subs: '^----!' },
      'unsubscribing tears down the source': {
        source: 'a-b-n-a-',
        unsubscribe: '^----!',
        expected: 'a-b-n-',
        subs: '^----!',
      },
      'errors pass through': { source: 'a-#', expected: 'a-#', subs: '^-!' },
    },
  );
});

describe('isNewerStat', () => {
  it('orders incarnations by czxid, then data changes by mzxid; existence against absence always differs', () => {
    expect(isNewerStat(null, null)).toBe(false);
    expect(isNewerStat(null, stat(1, 1))).toBe(true);
    expect(isNewerStat(stat(1, 1), null)).toBe(true);
    expect(isNewerStat(stat(1, 1), stat(1, 2))).toBe(true);
    expect(isNewerStat(stat(1, 2), stat(1, 1))).toBe(false);
    expect(isNewerStat(stat(1, 2), stat(1, 2))).toBe(false);
    expect(isNewerStat(stat(1, 9), stat(2, 2))).toBe(true);
    expect(isNewerStat(stat(2, 2), stat(1, 9))).toBe(false);
  });
});
