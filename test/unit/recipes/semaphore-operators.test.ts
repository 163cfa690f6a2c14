import { describe } from 'vitest';
import {
  leasesAvailable,
  leaseStates,
  whileLive,
  type ConnectionState,
  type LeaseState,
  type SemaphoreStep,
} from '../../../src/index.js';
import { cases } from '../../helpers/marbles.js';
import { queueName, stat } from '../../helpers/nodes.js';

const l1 = queueName('lease', 1);
const l2 = queueName('lease', 2);
const l3 = queueName('lease', 3);

describe('leasesAvailable', () => {
  const lists = {
    n: null, // the leases node does not exist yet
    e: [],
    a: [l1],
    b: [l1, l2],
    c: [l1, l2, l3],
    // Every child is a lease, whoever made it (Curator's, kazoo's), as Curator and kazoo count them.
    f: [l1, '_c_3f0c1e9a-7d1b-4c2e-9a55-0d6f3b2a1c10-lease-0000000004'],
    g: [l2],
  };
  const free = { t: true, f: false };
  cases(
    'with 2 permits, whether a lease may be taken',
    (m, c) => {
      const source = m.cold(c.source, lists);
      m.expect(source.pipe(leasesAvailable(2)), c.unsub).toBeObservable(c.expected, free);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'no leases node, then leases come and go': { source: 'n-a-b-a-|', expected: 't---f-t-|', subs: '^-------!' },
      'more than the permits (held under a larger count)': { source: 'c-b-a-|', expected: 'f---t-|', subs: '^-----!' },
      'a holder other than the newest leaves': { source: 'b-g-|', expected: 'f-t-|', subs: '^---!' },
      'every child counts, whoever made it': { source: 'a-f-|', expected: 't-f-|', subs: '^---!' },
      'repeats are folded': { source: 'e-a-n-|', expected: 't-----|', subs: '^-----!' },
      'unsubscribing tears down the source': { source: 'b-a-b-a', expected: 'f-t-', unsub: '^---!', subs: '^---!' },
      'errors pass through': { source: 'b-#', expected: 'f-#', subs: '^-!' },
    },
  );
});

const steps: Record<string, SemaphoreStep | ConnectionState> = {
  q: { kind: 'queued' },
  h: { kind: 'leased', node: `/s/leases/${l1}`, stat: stat(30) },
  v: { kind: 'revoked', node: `/s/leases/${l1}` },
  c: 'connected',
  s: 'suspended',
  r: 'reconnected',
  l: 'lost',
  x: 'closed',
};
const states: Record<string, LeaseState> = {
  W: { state: 'waiting' },
  A: { state: 'acquired', fencingToken: 30n },
  L: { state: 'lost' },
};

describe('leaseStates', () => {
  cases(
    'turns semaphore steps and connection states into lease states',
    (m, c) => {
      const source = m.cold(c.source, steps);
      m.expect(source.pipe(leaseStates()), c.unsub).toBeObservable(c.expected, states);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'waits, then holds': { source: 'q-q-h-|', expected: 'W---A-|', subs: '^-----!' },
      'a suspended waiter stays waiting': { source: 'q-s-r-q-h|', expected: 'W-------A|', subs: '^--------!' },
      'a suspended holder has lost it, and holds again after reconnecting': {
        source: '-h-s-r-h|',
        expected: 'WA-L---A|',
        subs: '^-------!',
      },
      'a holder whose session is lost queues again': {
        source: '-h-s-l-c-q-h|',
        expected: 'WA-L-----W-A|',
        subs: '^-----------!',
      },
      'a revoked lease is lost, then the participant waits again': {
        source: '-h-v-q-h|',
        expected: 'WA-L-W-A|',
        subs: '^-------!',
      },
      'a revocation while waiting changes nothing': { source: 'q-v-q|', expected: 'W----|', subs: '^----!' },
      'unsubscribing tears down the source': { source: 'q-h-q-h', expected: 'W-A', unsub: '^---!', subs: '^---!' },
      'errors pass through': { source: 'q-#', expected: 'W-#', subs: '^-!' },
    },
  );

  cases(
    'under whileLive, a suspension cancels a grant in progress',
    (m, c) => {
      const connection = m.hot(c.connection, steps) as ReturnType<typeof m.hot<ConnectionState>>;
      const run = m.cold(c.run, steps) as ReturnType<typeof m.cold<SemaphoreStep>>;
      const result = connection.pipe(
        whileLive<SemaphoreStep | ConnectionState>(() => run, (state) => state),
        leaseStates(),
      );
      m.expect(result).toBeObservable(c.expected, states);
      m.expect(run).toHaveSubscriptions(c.subs);
    },
    {
      'suspended before the lease is confirmed': {
        connection: 'c-s--r-----',
        run: 'q--h',
        expected: 'W-------A--',
        subs: ['^-!', '-----^'],
      },
      'closed completes, stopping the run': { connection: 'c---x', run: '-h', expected: 'WA--|', subs: ['^---!'] },
    },
  );
});
