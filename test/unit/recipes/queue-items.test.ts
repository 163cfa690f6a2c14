import { describe, expect, it } from 'vitest';
import { encodeId } from '../../../src/recipes/protected-names.js';
import { queueItems, type QueueEntry } from '../../../src/index.js';
import { queueEntries } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';

const UUID = '0a1b2c3d-0000-4000-8000-00000000000';

/** A protected item name: priority in the id field, then the sequence number. */
function item(priority: number, sequence: number): string {
  return `_c_${UUID}${sequence % 10}-1f-${encodeId(String(priority))}-${String(sequence).padStart(10, '0')}`;
}

function entry(priority: number, sequence: number, claimed = false): QueueEntry {
  return { name: item(priority, sequence), priority, sequence, claimed };
}

describe('queueEntries', () => {
  it('orders by priority, then by sequence, never by whole name', () => {
    const names = [item(0, 3), item(5, 1), item(0, 1), item(-2, 4), item(0, 2)];
    expect(queueEntries(names, []).map((e) => [e.priority, e.sequence])).toEqual([
      [-2, 4],
      [0, 1],
      [0, 2],
      [0, 3],
      [5, 1],
    ]);
  });

  it('marks claimed items and ignores claims of items that are gone', () => {
    expect(queueEntries([item(0, 1), item(0, 2)], [item(0, 2), item(0, 9)])).toEqual([entry(0, 1), entry(0, 2, true)]);
  });

  it('leaves out children that are not items', () => {
    const notItems = ['plain', `_c_${UUID}1-1f-high-0000000001`, `_c_${UUID}1-1f-1.5-0000000002`, `_c_${UUID}1-1f-${'9'.repeat(20)}-0000000003`];
    expect(queueEntries([...notItems, item(1, 4)], [])).toEqual([entry(1, 4)]);
  });
});

const lists = {
  e: [null, null] as const,
  a: [[item(0, 1)], []] as const,
  b: [[item(0, 1), item(0, 2)], []] as const,
  B: [[item(0, 2), item(0, 1)], null] as const, // same view as b
  c: [[item(0, 1), item(0, 2)], [item(0, 1)]] as const,
  p: [[item(0, 1), item(0, 2), item(-1, 3)], [item(0, 1)]] as const,
  d: [[item(0, 2), item(-1, 3)], []] as const,
};
const views = {
  e: [],
  a: [entry(0, 1)],
  b: [entry(0, 1), entry(0, 2)],
  c: [entry(0, 1, true), entry(0, 2)],
  p: [entry(-1, 3), entry(0, 1, true), entry(0, 2)],
  d: [entry(-1, 3), entry(0, 2)],
};

describe('queueItems', () => {
  cases(
    'turns child lists into the queue view',
    (m, c) => {
      const source = m.cold(c.source, lists);
      m.expect(source.pipe(queueItems()), c.unsub).toBeObservable(c.expected, views);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'missing nodes are an empty queue': { source: 'e|', expected: 'e|', subs: '^!' },
      'offers, a claim, a priority offer, an acknowledgement': {
        source: 'a-b-c-p-d-|',
        expected: 'a-b-c-p-d-|',
        subs: '^---------!',
      },
      'the same view is not repeated': { source: 'b-B-b-c|', expected: 'b-----c|', subs: '^------!' },
      'unsubscribing tears down the source': { source: 'a-b-c-', unsub: '^--!', expected: 'a-b', subs: '^--!' },
      'errors pass through': { source: 'a-#', expected: 'a-#', subs: '^-!' },
    },
  );
});
