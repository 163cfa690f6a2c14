import { describe, expect, it } from 'vitest';
import { barrierEntry, barrierExit, type BarrierExitStep } from '../../../src/index.js';
import { barrierEntryOf, barrierExitStepOf } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';
import { queueName } from '../../helpers/nodes.js';

const m1 = queueName('w1', 1);
const m2 = queueName('w2', 2);
const m3 = queueName('w3', 3);

describe('barrierEntryOf', () => {
  it('waits while fewer than count members are there and ready is absent', () => {
    expect(barrierEntryOf([m1, m2], false, 3)).toEqual({ open: false, markReady: false, members: ['w1', 'w2'] });
  });
  it('the member that sees count members marks ready', () => {
    expect(barrierEntryOf([m3, m1, m2, 'ready'], false, 3)).toEqual({ open: true, markReady: true, members: ['w1', 'w2', 'w3'] });
  });
  it('ready decides alone: the first members in may already be leaving', () => {
    expect(barrierEntryOf([m3], true, 3)).toEqual({ open: true, markReady: false, members: ['w3'] });
  });
  it('a missing barrier node has no members', () => {
    expect(barrierEntryOf(null, false, 1)).toEqual({ open: false, markReady: false, members: [] });
  });
});

describe('barrierEntry', () => {
  const inputs = {
    a: [[m1], false] as const,
    b: [[m1, m2], false] as const,
    c: [[m1, m2], true] as const, // someone else marked ready
    d: [[m1, m2, m3], false] as const,
    e: [[m2], false] as const, // a member crashed while entering
  };
  const out = {
    W: { open: false, markReady: false, members: ['w1'] },
    X: { open: false, markReady: false, members: ['w1', 'w2'] },
    O: { open: true, markReady: false, members: ['w1', 'w2'] },
    M: { open: true, markReady: true, members: ['w1', 'w2', 'w3'] },
    Y: { open: false, markReady: false, members: ['w2'] },
  };
  cases(
    'with count 3',
    (m, c) => {
      const source = m.cold(c.source, inputs);
      m.expect(source.pipe(barrierEntry(3)), c.unsub).toBeObservable(c.expected, out);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'members arrive; the third marks ready': { source: 'a-b-d|', expected: 'W-X-M|', subs: '^----!' },
      'ready appears before the count is seen': { source: 'b-c|', expected: 'X-O|', subs: '^--!' },
      'a member crashes while entering: the rest wait': { source: 'b-e|', expected: 'X-Y|', subs: '^--!' },
      'unsubscribing tears down the source': { source: 'a-b-d', expected: 'W-X', unsub: '^--!', subs: '^--!' },
      'errors pass through': { source: 'a#', expected: 'W#', subs: '^!' },
    },
  );
});

describe('barrierExitStepOf', () => {
  const wait = (on: string, deleteOwn: boolean, members: string[]): BarrierExitStep => ({ kind: 'wait', on, deleteOwn, members });
  const table: Array<[string, string[] | null, string | null, BarrierExitStep]> = [
    ['nobody left', [], m1, { kind: 'left' }],
    ['the barrier node is gone', null, m1, { kind: 'left' }],
    ['only ours left', [m2, 'ready'], m2, { kind: 'last' }],
    ['the lowest waits on the highest, keeping its node', [m1, m2, m3], m1, wait(m3, false, ['w1', 'w2', 'w3'])],
    ['another deletes its node and waits on the lowest', [m1, m2, m3], m2, wait(m1, true, ['w1', 'w2', 'w3'])],
    ['own node missing: waits on the lowest, nothing to delete', [m1, m3], m2, wait(m1, false, ['w1', 'w3'])],
    ['own node missing, one other left: waits on it', [m3], m2, wait(m3, false, ['w3'])],
    ['no own node at all (never entered)', [m1, m2], null, wait(m1, false, ['w1', 'w2'])],
    ['order is by sequence, not by name', [m3, m1], m3, wait(m1, true, ['w1', 'w3'])],
  ];
  for (const [name, children, own, expected] of table) {
    it(name, () => expect(barrierExitStepOf(children, own)).toEqual(expected));
  }
});

describe('barrierExit', () => {
  const lists = { a: [m1, m2, m3], b: [m1, m2], c: [m1], d: [] as string[] };
  const out: Record<string, BarrierExitStep> = {
    H: { kind: 'wait', on: m3, deleteOwn: false, members: ['w1', 'w2', 'w3'] },
    I: { kind: 'wait', on: m2, deleteOwn: false, members: ['w1', 'w2'] },
    L: { kind: 'last' },
    D: { kind: 'left' },
  };
  cases(
    'the lowest member (w1) on its way out',
    (m, c) => {
      const source = m.cold(c.source, lists);
      m.expect(source.pipe(barrierExit(m1)), c.unsub).toBeObservable(c.expected, out);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'waits on the highest until alone, then is last': { source: 'a-b-c|', expected: 'H-I-L|', subs: '^----!' },
      'a member vanishes (crashed): waits on the next highest': { source: 'a-b|', expected: 'H-I|', subs: '^--!' },
      'everyone gone, ours too': { source: 'd|', expected: 'D|', subs: '^!' },
      'unsubscribing tears down the source': { source: 'a-b-c', expected: 'H-', unsub: '^-!', subs: '^-!' },
      'errors pass through': { source: 'a#', expected: 'H#', subs: '^!' },
    },
  );
});
