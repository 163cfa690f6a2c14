import { describe, expect, it } from 'vitest';
import { groupMembers, type DataDecodeError, type GroupMember, type ZNode } from '../../../src/index.js';
import { sameMembers } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';
import { znode } from '../../helpers/nodes.js';

const node = (id: string, data: string, czxid = 1, mzxid = czxid): ZNode =>
  znode(`/g/${id}`, data, czxid, mzxid, { ctime: czxid * 1000, mtime: mzxid * 1000, ephemeralOwner: '1f' });

const nodes = (...list: ZNode[]) => new Map(list.map((n) => [n.path.slice(3), n]));
const member = (id: string, data: unknown, czxid = 1): GroupMember => ({ id, data, path: `/g/${id}`, joinedAt: czxid * 1000 });

const bad = node('m2', '{oops', 2);
const inputs = {
  e: nodes(),
  a: nodes(node('m3', '{"slots":2}', 3), node('m1', '{"slots":4}', 1)),
  b: nodes(node('m3', '{"slots":2}', 3), node('m1', '{"slots":4}', 1), node('m2', '', 2)),
  x: nodes(node('m1', '{"slots":4}', 1), bad),
  y: nodes(node('m1', '{"slots":5}', 1, 4), bad), // the bad node again, same version
};
const outputs = {
  e: [],
  a: [member('m1', { slots: 4 }), member('m3', { slots: 2 }, 3)],
  b: [member('m1', { slots: 4 }), member('m2', null, 2), member('m3', { slots: 2 }, 3)],
  x: [member('m1', { slots: 4 })],
  y: [member('m1', { slots: 5 })],
};

describe('groupMembers', () => {
  cases(
    'decodes members, sorted by id',
    (m, c) => {
      const reported: string[] = [];
      const source = m.cold(c.source, inputs);
      m.expect(source.pipe(groupMembers((e: DataDecodeError) => reported.push(e.name))), c.unsub).toBeObservable(c.expected, outputs);
      m.expect(source).toHaveSubscriptions(c.subs);
      m.flush();
      expect(reported).toEqual(c.reported);
    },
    {
      'no members': { source: 'e|', expected: 'e|', subs: '^!', reported: [] },
      'members join, an empty node is null data': { source: 'e-a-b-|', expected: 'e-a-b-|', subs: '^-----!', reported: [] },
      'a malformed member is reported once per version and left out': {
        source: 'x-y-|',
        expected: 'x-y-|',
        subs: '^---!',
        reported: ['DataDecodeError'],
      },
      'unsubscribing tears down the source': { source: 'a-b-a-', unsub: '^--!', expected: 'a-b', subs: '^--!', reported: [] },
      'errors pass through': { source: 'a-#', expected: 'a-#', subs: '^-!', reported: [] },
    },
  );

  it('sameMembers compares ids, nodes and data', () => {
    expect(sameMembers(outputs.a, [member('m1', { slots: 4 }), member('m3', { slots: 2 }, 3)])).toBe(true);
    expect(sameMembers(outputs.a, [member('m1', { slots: 5 }), member('m3', { slots: 2 }, 3)])).toBe(false);
    expect(sameMembers(outputs.a, outputs.b)).toBe(false);
  });
});
