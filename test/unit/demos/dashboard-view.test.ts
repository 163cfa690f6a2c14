import { describe, expect, it } from 'vitest';
import { protectedPrefix, type ServiceInstance, type Stat, type ZNode } from '../../../src/index.js';
import { changes, INITIAL_STATE, lockView, ownersOf, type DashboardState } from '../../../demos/dashboard/view.js';

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

function node(path: string, owner: string, czxid: bigint): ZNode {
  const stat: Stat = {
    czxid,
    mzxid: czxid,
    pzxid: czxid,
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: owner,
    dataLength: 0,
    numChildren: 0,
  };
  return { path, data: Buffer.alloc(0), stat };
}

const queueNode = (session: string, id: string, sequence: number) =>
  `${protectedPrefix(UUID, session, id)}${String(sequence).padStart(10, '0')}`;

function instance(id: string, registeredAt: number): ServiceInstance {
  return { id, host: '127.0.0.1', port: 7000, payload: { pid: 1 }, path: `/s/${id}`, registeredAt };
}

describe('lockView', () => {
  it('orders the queue by sequence and names each participant by its session', () => {
    const nodes = new Map([
      [queueNode('b2', 'lock', 7), node('/l/x', 'b2', 17n)],
      [queueNode('a1', 'lock', 3), node('/l/y', 'a1', 13n)],
      [queueNode('c3', 'lock', 9), node('/l/z', 'c3', 19n)],
    ]);
    const owners = new Map([
      ['a1', 'w1'],
      ['b2', 'w2'],
    ]);
    expect(lockView(nodes, owners)).toEqual({ holder: 'w1', token: 13n, waiters: ['w2', 'session 0xc3'] });
    expect(lockView(new Map(), owners)).toEqual({ holder: null, token: null, waiters: [] });
  });

  it('tells apart two sessions of one worker (a restart before the old session expired)', () => {
    const nodes = new Map([
      [queueNode('a1', 'lock', 1), node('/l/x', 'a1', 11n)],
      [queueNode('ff01', 'lock', 2), node('/l/y', 'ff01', 12n)],
    ]);
    const owners = new Map([
      ['a1', 'w1'],
      ['ff01', 'w1'],
    ]);
    expect(lockView(nodes, owners).holder).toBe('w1 (session …a1)');
    expect(lockView(nodes, owners).waiters).toEqual(['w1 (session …ff01)']);
  });
});

describe('ownersOf', () => {
  it('knows a worker by its registration, and by its candidacy before it is registered', () => {
    const registry = new Map([['w1', node('/s/w1', 'a1', 1n)]]);
    const candidates = [queueNode('a1', 'w1', 0), queueNode('b2', 'w2', 1), 'not-a-candidate'];
    expect(ownersOf(registry, candidates)).toEqual(
      new Map([
        ['a1', 'w1'],
        ['b2', 'w2'],
      ]),
    );
  });
});

describe('changes', () => {
  const base: DashboardState = {
    ...INITIAL_STATE,
    connection: 'connected',
    session: 'abc',
    instances: [instance('w1', 1), instance('w2', 1)],
    election: { leaderId: 'w1', candidates: ['w1', 'w2'] },
    lock: { holder: 'w2', token: 5n, waiters: ['w1'] },
    config: { rev: 1 },
  };

  it('reports nothing when nothing changed', () => {
    expect(changes(base, { ...base })).toEqual([]);
  });

  it('reports a leader handover with the leader it replaced, and the instance that left', () => {
    const after: DashboardState = {
      ...base,
      instances: [instance('w2', 1)],
      election: { leaderId: 'w2', candidates: ['w2'] },
    };
    expect(changes(base, after)).toEqual([
      ['services', 'w1 left'],
      ['leader', 'w2 (was w1); line: w2'],
    ]);
  });

  it('reports joins, re-registrations, a new line, the lock, the config and the connection', () => {
    const after: DashboardState = {
      ...base,
      connection: 'suspended',
      instances: [instance('w1', 1), instance('w2', 2), instance('w3', 3)],
      election: { leaderId: 'w1', candidates: ['w1', 'w2', 'w3'] },
      lock: { holder: 'w1', token: 9n, waiters: [] },
      config: { rev: 2 },
    };
    expect(changes(base, after)).toEqual([
      ['connection', 'suspended (session 0xabc)'],
      ['services', 'w2 registered again (127.0.0.1:7000, pid 1)'],
      ['services', 'w3 joined (127.0.0.1:7000, pid 1)'],
      ['election', 'line: w1 → w2 → w3'],
      ['lock', 'w1 holds it (fencing token 9); waiting: nobody'],
      ['config', '{"rev":2}'],
    ]);
  });
});
