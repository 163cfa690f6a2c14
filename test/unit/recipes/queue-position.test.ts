import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { electLeader, queuePosition } from '../../../src/index.js';
import { positionIn, protectedPrefix, queueOrder } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';

const uuid = (n: number) => `0000000${n}-0000-4000-8000-000000000000`;
const node = (n: number, id: string, sequence: number) =>
  `${protectedPrefix(uuid(n), 'abc', id)}${String(sequence).padStart(10, '0')}`;

// Sequence numbers deliberately out of name order: queues go by sequence, not by name.
const A = node(9, 'a', 3);
const B = node(1, 'b', 7);
const C = node(5, 'c', 12);

describe('queueOrder', () => {
  it('orders protected children by sequence number and ignores other children', () => {
    expect(queueOrder([C, 'lock', B, A, 'x-0000000001']).map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });

  it('decodes ids that contain separators', () => {
    const odd = node(2, 'node-1/x.y', 4);
    expect(queueOrder([odd])[0]).toMatchObject({ id: 'node-1/x.y', sequence: 4, session: 'abc' });
  });
});

describe('positionIn', () => {
  it('holds at the front and waits on exactly the node ahead otherwise', () => {
    expect(positionIn([C, B, A], A)).toMatchObject({ present: true, holds: true, index: 0, predecessor: null });
    expect(positionIn([C, B, A], B)).toMatchObject({ present: true, holds: false, index: 1, predecessor: A });
    expect(positionIn([C, B, A], C)).toMatchObject({ present: true, holds: false, index: 2, predecessor: B });
  });

  it('with several holders, the first ones hold and a waiter watches the node `holders` places ahead', () => {
    expect(positionIn([C, B, A], B, 2)).toMatchObject({ holds: true, predecessor: null });
    expect(positionIn([C, B, A], C, 2)).toMatchObject({ holds: false, predecessor: A });
  });

  it('reports an own node that is missing', () => {
    expect(positionIn([B, C], A)).toMatchObject({ present: false, holds: false, index: -1, predecessor: null });
  });
});

const lists = { x: [A, B, C], y: [B, C], z: [C], e: [], n: null, w: [A, B, C, node(3, 'd', 20)] };

describe('queuePosition', () => {
  cases(
    'follows a waiter through the queue',
    (m, c) => {
      const source = m.cold(c.source, lists);
      const holds = { t: true, f: false };
      m.expect(source.pipe(queuePosition(C), map((p) => p.holds)), c.unsub).toBeObservable(c.expected, holds);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'the ones ahead leave, then it holds': { source: 'x-y-z|', expected: 'f-f-t|', subs: '^----!' },
      'a newcomer behind does not change it': { source: 'x-w|', expected: 'f-f|', subs: '^--!' },
      'the queue node vanishing means absent': { source: 'z-n|', expected: 't-f|', subs: '^--!' },
      'unsubscribing tears down the source': { source: 'x-y-z-', unsub: '^---!', expected: 'f-f-', subs: '^---!' },
    },
  );
});

describe('electLeader', () => {
  cases(
    'names the leader and the candidates in queue order',
    (m, c) => {
      const source = m.cold(c.source, lists);
      const views = {
        a: { isLeader: false, leaderId: 'a', candidates: ['a', 'b', 'c'] },
        b: { isLeader: false, leaderId: 'b', candidates: ['b', 'c'] },
        c: { isLeader: true, leaderId: 'c', candidates: ['c'] },
        e: { isLeader: false, leaderId: null, candidates: [] },
      };
      m.expect(source.pipe(electLeader(C))).toBeObservable(c.expected, views);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'leadership passes down the queue': { source: 'x-y-z|', expected: 'a-b-c|', subs: '^----!' },
      'an empty or missing election has no leader': { source: 'e-n|', expected: 'e-e|', subs: '^--!' },
      'errors pass through': { source: 'x-#', expected: 'a-#', subs: '^-!' },
    },
  );
});
