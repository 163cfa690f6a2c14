import { describe, expect, it } from 'vitest';
import { distinctChildren } from '../../../src/index.js';
import { sameChildren } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';

const values: Record<string, readonly string[] | null> = {
  n: null,
  e: [],
  a: ['a'],
  A: ['a'], // the same content as a, another array
  b: ['a', 'b'],
  B: ['a', 'b'],
  c: ['a', 'c'],
};

describe('distinctChildren', () => {
  cases(
    'passes a child list only when its content changed',
    (m, c) => {
      const source = m.cold(c.source, values);
      m.expect(source.pipe(distinctChildren()), c.unsubscribe).toBeObservable(c.expected, values);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'absent, empty, one child, two, absent': { source: 'n-e-a-b-n|', expected: 'n-e-a-b-n|', subs: '^--------!' },
      'equal content in a new array is dropped': { source: 'a-A-b-B-|', expected: 'a---b---|', subs: '^-------!' },
      'a replaced child with the same count passes': { source: 'b-c-|', expected: 'b-c-|', subs: '^---!' },
      'an empty list is not the same as no node': { source: 'e-n-e|', expected: 'e-n-e|', subs: '^----!' },
      'null repeated is dropped': { source: 'n-n-|', expected: 'n---|', subs: '^---!' },
      'unsubscribing tears down the source': { source: 'a-b-c-', unsubscribe: '^--!', expected: 'a-b', subs: '^--!' },
      'errors pass through': { source: 'a-#', expected: 'a-#', subs: '^-!' },
    },
  );
});

describe('sameChildren', () => {
  it('compares names in order; null equals only null', () => {
    expect(sameChildren(null, null)).toBe(true);
    expect(sameChildren(null, [])).toBe(false);
    expect(sameChildren([], null)).toBe(false);
    expect(sameChildren([], [])).toBe(true);
    expect(sameChildren(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameChildren(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameChildren(['a'], ['a', 'b'])).toBe(false);
  });
});
