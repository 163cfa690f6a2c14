import { describe } from 'vitest';
import { lockStates, whileLive, type ConnectionState, type LockState } from '../../../src/index.js';
import { type Standing } from '../../../src/advanced.js';
import { positionIn } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';
import { queueName, stat } from '../../helpers/nodes.js';

const ahead = queueName('write', 1);
const own = queueName('read', 2);

const placedWaiting: Standing = { kind: 'placed', node: `/l/${own}`, stat: stat(20), position: positionIn([ahead, own], own) };
const placedHolding: Standing = { kind: 'placed', node: `/l/${own}`, stat: stat(20), position: positionIn([own], own) };
const evicted: Standing = { kind: 'evicted', node: `/l/${own}` };

const inputs: Record<string, Standing | ConnectionState> = {
  p: placedWaiting,
  h: placedHolding,
  e: evicted,
  c: 'connected',
  s: 'suspended',
  r: 'reconnected',
  l: 'lost',
  x: 'closed',
};
const states: Record<string, LockState> = {
  W: { state: 'waiting' },
  A: { state: 'acquired', fencingToken: 20n },
  L: { state: 'lost' },
};

describe('lockStates for a reader of a read/write lock', () => {
  cases(
    'turns standings and connection states into lock states',
    (m, c) => {
      const source = m.cold(c.source, inputs);
      m.expect(source.pipe(lockStates()), c.unsub).toBeObservable(c.expected, states);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'waits, then acquires': { source: 'p-h-|', expected: 'W-A-|', subs: '^---!' },
      'a suspended waiter stays waiting': { source: 'p-s-r-p-h|', expected: 'W-------A|', subs: '^--------!' },
      'a suspended holder has lost it, and re-acquires after reconnecting': {
        source: '-h-s-r-h|',
        expected: 'WA-L---A|',
        subs: '^-------!',
      },
      'a holder whose session is lost queues again': {
        source: '-h-s-l-c-p-h|',
        expected: 'WA-L-----W-A|',
        subs: '^-----------!',
      },
      'a holder whose node is deleted by someone else has lost it': { source: '-h-e-p|', expected: 'WA-L-W|', subs: '^-----!' },
      'a waiter whose node vanishes stays waiting': { source: 'p-e-p-h|', expected: 'W-----A|', subs: '^------!' },
      'repeated acquisitions of the same node are not repeated': { source: '-h-h-h|', expected: 'WA----|', subs: '^-----!' },
      'unsubscribing tears down the source': { source: 'p-h-p-h', expected: 'W-A', unsub: '^---!', subs: '^---!' },
      'errors pass through': { source: 'p-#', expected: 'W-#', subs: '^-!' },
    },
  );

  cases(
    'under whileLive, a suspension cancels an acquisition in progress',
    (m, c) => {
      const connection = m.hot(c.connection, inputs) as ReturnType<typeof m.hot<ConnectionState>>;
      const check = m.cold(c.check, inputs) as ReturnType<typeof m.cold<Standing>>;
      const result = connection.pipe(
        whileLive<Standing | ConnectionState>(() => check, (state) => state),
        lockStates(),
      );
      m.expect(result).toBeObservable(c.expected, states);
      m.expect(check).toHaveSubscriptions(c.subs);
    },
    {
      // The check that would have granted the lock at frame 3 is cancelled by the suspension at
      // frame 2; only the check after reconnecting grants it.
      'suspended before the grant arrives': {
        connection: 'c-s--r-----',
        check: '---h',
        expected: 'W-------A--',
        subs: ['^-!', '-----^'],
      },
      'lost mid-acquire: the next session checks afresh': {
        connection: 'c-s-l--c------',
        check: '---h',
        expected: 'W---------A---',
        subs: ['^-!', '-------^'],
      },
      'closed completes': { connection: 'c----x', check: '-h', expected: 'WA---|', subs: ['^----!'] },
    },
  );
});
