import { describe } from 'vitest';
import { latestNode } from '../../../src/index.js';
import type { ZNode } from '../../../src/index.js';
import { cases } from '../../helpers/marbles.js';
import { znode } from '../../helpers/nodes.js';

const node = (czxid: number, mzxid: number, data = ''): ZNode => znode('/n', data, czxid, mzxid);

const values = {
  n: null,
  a: node(10, 10, 'a'),
  b: node(10, 12, 'b'),
  c: node(10, 12, 'b'), // same state as b, another object
  r: node(20, 20, 'a'), // deleted and re-created: version 0 again, new content
  o: node(10, 11, 'old'), // older than b
};

describe('latestNode', () => {
  cases(
    'passes real changes only, never an older state',
    (m, c) => {
      const source = m.cold(c.source, values);
      m.expect(source.pipe(latestNode()), c.unsub).toBeObservable(c.expected, values);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'absent, created, changed, deleted': { source: 'n-a-b-n|', expected: 'n-a-b-n|', subs: '^------!' },
      'a repeated state is dropped': { source: 'a-b-c-|', expected: 'a-b---|', subs: '^-----!' },
      'an older state after a newer one is dropped': { source: 'a-b-o-|', expected: 'a-b---|', subs: '^-----!' },
      're-created at the same version with new content passes': { source: 'a-n-r-|', expected: 'a-n-r-|', subs: '^-----!' },
      'an older incarnation after a newer one is dropped': { source: 'r-a-|', expected: 'r---|', subs: '^---!' },
      'null repeated is dropped': { source: 'n-n-a|', expected: 'n---a|', subs: '^----!' },
      'unsubscribing tears down the source': { source: 'a-b-n-a', unsub: '^---!', expected: 'a-b-', subs: '^---!' },
      'errors pass through': { source: 'a-#', expected: 'a-#', subs: '^-!' },
    },
  );
});
