import { describe, expect, it } from 'vitest';
import { counterValues, counterWriteOutcome, DataDecodeError, type ZNode } from '../../../src/index.js';
import { encodeCounter } from '../../../src/advanced.js';
import { decodeCounter, type WriteAttempt } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';
import { znode } from '../../helpers/nodes.js';

/** `/c` holding `data` at `version` (mzxid = czxid + version). */
const node = (data: string, version = 0, czxid = 5): ZNode => znode('/c', data, czxid, czxid + version);
const counterNode = (value: number, writes: string[], version: number, czxid = 5) =>
  node(encodeCounter(value, writes).toString(), version, czxid);

describe('decodeCounter', () => {
  it('reads what the counter writes, plain integers, and empty or absent nodes as 0', () => {
    expect(decodeCounter(null)).toEqual({ value: 0, writes: [] });
    expect(decodeCounter(node(''))).toEqual({ value: 0, writes: [] });
    expect(decodeCounter(node(' 42\n'))).toEqual({ value: 42, writes: [] });
    expect(decodeCounter(node('{"value":-7,"writes":["a","b"]}'))).toEqual({ value: -7, writes: ['a', 'b'] });
  });

  it('refuses anything else with DataDecodeError naming the path', () => {
    expect(() => decodeCounter(node('1.5'))).toThrow(new DataDecodeError('/c: not a counter (expected an integer or {"value": <integer>}), got "1.5"', { path: '/c' }));
    expect(() => decodeCounter(node('{"value":"3"}'))).toThrow(DataDecodeError);
    expect(() => decodeCounter(node('hello'))).toThrow(DataDecodeError);
  });

  it('keeps the latest 16 write tokens', () => {
    const tokens = Array.from({ length: 20 }, (_, i) => `t${i}`);
    expect(decodeCounter(node(encodeCounter(3, tokens).toString())).writes).toEqual(tokens.slice(4));
  });
});

describe('counterWriteOutcome', () => {
  const attempt = (expectedVersion: number, token = 'mine', czxid = 5n): WriteAttempt => ({
    expectedVersion,
    czxid,
    data: Buffer.alloc(0),
    token,
  });
  it.each([
    ['our token is on record', counterNode(4, ['x', 'mine', 'y'], 6), attempt(4), 'applied'],
    ['still at the expected version: it may land', counterNode(4, ['x'], 4), attempt(4), 'pending'],
    ['the next version is someone else’s', counterNode(5, ['x', 'y'], 5), attempt(4), 'not-applied'],
    ['moved on, the version ours would have made is on record', counterNode(5, ['a', 'b', 'c'], 7), attempt(4), 'not-applied'],
    ['moved on further than the record goes', counterNode(5, ['b', 'c'], 7), attempt(4), 'unknown'],
    ['a plain value written by hand over it', node('9', 5), attempt(4), 'not-applied'],
    ['a plain value, then more writes', counterNode(9, ['z'], 6), attempt(4), 'unknown'],
    ['deleted and created again', counterNode(1, ['q'], 5, 99), attempt(4), 'unknown'],
    ['deleted', null, attempt(4), 'unknown'],
    ['not a counter any more', node('nonsense', 5), attempt(4), 'unknown'],
  ] as const)('%s', (_name, current, tried, expected) => {
    expect(counterWriteOutcome(current, tried)).toBe(expected);
  });
});

const nodes = {
  n: null,
  a: counterNode(1, ['t1'], 1),
  b: counterNode(1, ['t1', 't2'], 2), // same value, another write
  c: counterNode(3, ['t3'], 3),
  x: node('nonsense', 4),
};
const numbers = { z: 0, o: 1, t: 3 };

describe('counterValues', () => {
  cases(
    'the value of each version, 0 while absent',
    (m, c) => {
      const source = m.cold(c.source, nodes);
      m.expect(source.pipe(counterValues()), c.unsub).toBeObservable(c.expected, numbers, new DataDecodeError('/c: not a counter (expected an integer or {"value": <integer>}), got "nonsense"', { path: '/c' }));
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'absent, then written': { source: 'n-a-c-|', expected: 'z-o-t-|', subs: '^-----!' },
      'an equal value is not repeated': { source: 'a-b-c|', expected: 'o---t|', subs: '^----!' },
      'a node that is not a counter errors the stream': { source: 'a-x-c', expected: 'o-#', subs: '^-!' },
      'unsubscribing tears down the source': { source: 'n-a-c-', unsub: '^--!', expected: 'z-o', subs: '^--!' },
    },
  );
});
