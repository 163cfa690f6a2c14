import { describe } from 'vitest';
import { lockStates, type LockState, type QueuePosition, type Stat } from '../../../src/index.js';
import { type Standing } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';

const stat = { czxid: 5n } as Stat;
const position = (holds: boolean): QueuePosition => ({ present: true, holds, index: holds ? 0 : 1, predecessor: holds ? null : 'x', queue: [] });
const inputs: Record<string, Standing | 'suspended' | 'lost' | 'connecting'> = {
  p: { kind: 'placed', node: '/l/n', stat, position: position(true) },
  w: { kind: 'placed', node: '/l/n', stat, position: position(false) },
  e: { kind: 'evicted', node: '/l/n' },
  s: 'suspended',
  l: 'lost',
};
const outputs: Record<string, LockState> = {
  W: { state: 'waiting' },
  A: { state: 'acquired', fencingToken: 5n },
  L: { state: 'lost' },
};

describe('lockStates', () => {
  cases(
    'acquired at the front, lost when the session is not live while holding',
    (m, c) => {
      const source = m.cold(c.source, inputs);
      m.expect(source.pipe(lockStates()), c.unsub).toBeObservable(c.expected, outputs);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'waits, acquires with the node czxid as token, loses it on suspension': {
        source: '-w-p-s|',
        expected: 'W--A-L|',
        subs: '^-----!',
      },
      'a waiter that is suspended stays waiting': { source: '-w-s-w-p|', expected: 'W------A|', subs: '^-------!' },
      'after a reconnect the holder re-checks and acquires again': { source: '-p-s-p|', expected: 'WA-L-A|', subs: '^-----!' },
      'a holder whose node is deleted by someone else has lost the lock': {
        source: '-p-e-w|',
        expected: 'WA-L-W|',
        subs: '^-----!',
      },
      'session lost while holding, then queueing again on the new session': {
        source: '-p-s-l-w-p|',
        expected: 'WA-L---W-A|',
        subs: '^---------!',
      },
      'unsubscribing tears down the source': { source: '-w-p-s', unsub: '^--!', expected: 'W---', subs: '^--!' },
    },
  );
});
