import { describe, expect, it } from 'vitest';
import { complement, contains, intersect, length, subtract, union, whileState } from '../../chaos/intervals.js';

const i = (from: number, to: number) => ({ from, to });

describe('intervals', () => {
  it('union merges overlapping and touching intervals and drops empty ones', () => {
    expect(union([i(5, 7), i(1, 3)], [i(3, 4), i(6, 9), i(10, 10)])).toEqual([i(1, 4), i(5, 9)]);
  });

  it('intersect keeps the moments in every set, and nothing of no sets', () => {
    expect(intersect([i(0, 10)], [i(2, 4), i(6, 12)], [i(3, 7)])).toEqual([i(3, 4), i(6, 7)]);
    expect(intersect()).toEqual([]);
  });

  it('complement and subtract leave out what is given', () => {
    expect(complement([i(2, 3), i(5, 6)], 0, 8)).toEqual([i(0, 2), i(3, 5), i(6, 8)]);
    expect(complement([i(-1, 9)], 0, 8)).toEqual([]);
    expect(subtract([i(0, 10)], [i(2, 3), i(9, 12)])).toEqual([i(0, 2), i(3, 9)]);
  });

  it('whileState turns state changes into the intervals a state holds', () => {
    const changes = [
      { at: 0, state: 'connected' },
      { at: 4, state: 'suspended' },
      { at: 6, state: 'reconnected' },
    ];
    const live = whileState(changes, 10, (s) => s !== 'suspended');
    expect(live).toEqual([i(0, 4), i(6, 10)]);
    expect(length(live)).toBe(8);
    expect(contains(live, 5)).toBe(false);
    expect(contains(live, 6)).toBe(true);
  });
});
