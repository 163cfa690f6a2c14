import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { readWritePosition, readWriteQueuePosition, type LockKind, type QueuePosition } from '../../../src/index.js';
import { cases } from '../../helpers/marbles.js';
import { queueName } from '../../helpers/nodes.js';

const r1 = queueName('read', 1);
const w2 = queueName('write', 2);
const r3 = queueName('read', 3);
const w4 = queueName('write', 4);
const r5 = queueName('read', 5);
const l6 = queueName('lock', 6); // a plain lock on the same path
const r7 = queueName('read', 7);

/** What matters of a position: held, and the one node waited on. */
function decision(p: QueuePosition) {
  return { present: p.present, holds: p.holds, predecessor: p.predecessor };
}
const holds = { present: true, holds: true, predecessor: null };
const waitsOn = (node: string) => ({ present: true, holds: false, predecessor: node });
const absent = { present: false, holds: false, predecessor: null };

describe('readWritePosition', () => {
  const table: Array<[string, LockKind, string[], string, object]> = [
    ['a lone reader holds', 'read', [r1], r1, holds],
    ['readers share', 'read', [r1, r3], r3, holds],
    ['a reader waits on the writer ahead', 'read', [r1, w2, r3], r3, waitsOn(w2)],
    ['a reader waits on the nearest writer ahead, not the first', 'read', [w2, r3, w4, r5], r5, waitsOn(w4)],
    ['a reader ahead of every writer holds', 'read', [r1, w2, r3], r1, holds],
    ['a plain lock node counts as a writer', 'read', [l6, r7], r7, waitsOn(l6)],
    ['a writer first holds', 'write', [w2, r3], w2, holds],
    ['a writer waits on the node just ahead, a reader', 'write', [r1, r3, w4], w4, waitsOn(r3)],
    ['a writer waits on the node just ahead, a writer', 'write', [w2, w4], w4, waitsOn(w2)],
    ['own node missing', 'read', [w2, r3], r5, absent],
    ['own node missing (writer)', 'write', [], w4, absent],
    ['order is by sequence, not by name', 'read', [r5, w4, r1], r5, waitsOn(w4)],
    ['a child without a sequence number is not a contender', 'write', ['ready', w2], w2, holds],
    ['a sequential child in no known scheme counts as a writer', 'read', ['junk-0000000001', r3], r3, waitsOn('junk-0000000001')],
  ];
  for (const [name, kind, children, own, expected] of table) {
    it(name, () => expect(decision(readWritePosition(kind)(children, own))).toEqual(expected));
  }

  it('after the writer ahead leaves, a reader waits on the next writer ahead (no deadlock)', () => {
    const rule = readWritePosition('read');
    // w2 holds, w4 waits on w2, r5 waits on w4.
    expect(decision(rule([w2, w4, r5], r5))).toEqual(waitsOn(w4));
    // w4 gives up: r5 must not take the lock while w2 holds it.
    expect(decision(rule([w2, r5], r5))).toEqual(waitsOn(w2));
    expect(decision(rule([r5], r5))).toEqual(holds);
  });
});

describe('readWriteQueuePosition', () => {
  const values = {
    a: [r1, w2, r3],
    b: [r1, r3], // the writer ahead vanished
    c: [w2, r3], // a writer ahead again (after the reader ahead left)
    d: [r1], // own node missing
    n: null, // the lock node itself is missing
  };
  const out = {
    W: waitsOn(w2),
    H: holds,
    A: absent,
  };
  cases(
    'decides a reader r3 from child lists',
    (m, c) => {
      const source = m.cold(c.source, values);
      m.expect(source.pipe(readWriteQueuePosition('read', r3), map(decision)), c.unsub).toBeObservable(c.expected, out);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'waits, then holds when the writer ahead vanishes': { source: 'a-b-|', expected: 'W-H-|', subs: '^---!' },
      'the predecessor vanishes, another writer is ahead': { source: 'a-c-b|', expected: 'W-W-H|', subs: '^----!' },
      'own node missing, or the lock node missing': { source: 'a-d-n-|', expected: 'W-A-A-|', subs: '^-----!' },
      'unsubscribing tears down the source': { source: 'a-b-a-b', expected: 'W-H-W', subs: '^----!', unsub: '^----!' },
      'errors pass through': { source: 'a-#', expected: 'W-#', subs: '^-!' },
    },
  );
});
