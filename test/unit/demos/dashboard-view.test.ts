import { describe, expect, it } from 'vitest';
import type { ServiceInstance, ZNode } from '../../../src/index.js';
import {
  changes,
  fitWidth,
  frameSize,
  headIsGone,
  INITIAL_STATE,
  lockView,
  ownersOf,
  renderFrame,
  visibleLength,
  type DashboardState,
  type Paint,
} from '../../../demos/dashboard/view.js';
import type { ServerHealth } from '../../../src/admin/server-health.js';
import { queueName, znode } from '../../helpers/nodes.js';

/** A node made by `session`. */
const node = (path: string, session: string, czxid: number, data = ''): ZNode => znode(path, data, czxid, czxid, { ephemeralOwner: session });

const queueNode = (session: string, id: string, sequence: number) => queueName(id, sequence, { session });

function instance(id: string, registeredAt: number): ServiceInstance {
  return { id, host: '127.0.0.1', port: 7000, payload: { pid: 1 }, path: `/s/${id}`, registeredAt };
}

describe('lockView', () => {
  it('orders the queue by sequence and names each participant by its session', () => {
    const nodes = new Map([
      [queueNode('b2', 'lock', 7), node('/l/x', 'b2', 17)],
      [queueNode('a1', 'lock', 3), node('/l/y', 'a1', 13)],
      [queueNode('c3', 'lock', 9), node('/l/z', 'c3', 19)],
    ]);
    const owners = new Map([
      ['a1', { id: 'w1' }],
      ['b2', { id: 'w2' }],
    ]);
    expect(lockView(nodes, owners)).toEqual({ holder: 'w1', token: 13n, waiters: ['w2', 'session 0xc3'] });
    expect(lockView(new Map(), owners)).toEqual({ holder: null, token: null, waiters: [] });
  });

  it('tells apart two sessions of one worker (a restart before the old session expired) by process', () => {
    const nodes = new Map([
      [queueNode('a1', 'lock', 1), node('/l/x', 'a1', 11)],
      [queueNode('ff01', 'lock', 2), node('/l/y', 'ff01', 12)],
    ]);
    const unknownProcesses = new Map([
      ['a1', { id: 'w1' }],
      ['ff01', { id: 'w1' }],
    ]);
    expect(lockView(nodes, unknownProcesses).holder).toBe('w1 (session …a1)');
    expect(lockView(nodes, unknownProcesses).waiters).toEqual(['w1 (session …ff01)']);
    const owners = new Map([
      ['a1', { id: 'w1', pid: 100 }],
      ['ff01', { id: 'w1', pid: 200 }],
    ]);
    expect(lockView(nodes, owners)).toEqual({ holder: 'w1 (pid 100)', token: 11n, waiters: ['w1 (pid 200)'] });
    // The crashed process's node still holds the lock until its session expires: said so.
    expect(lockView(nodes, owners, new Set([100]))).toEqual({ holder: 'w1 (pid 100) (gone)', token: 11n, waiters: ['w1 (pid 200)'] });
  });
});

describe('ownersOf', () => {
  it('knows a worker by its registration (with its pid), and by its candidacy before it is registered', () => {
    const registry = new Map([['w1', node('/s/w1', 'a1', 1, JSON.stringify({ id: 'w1', payload: { pid: 42 } }))]]);
    const candidates = [queueNode('a1', 'w1', 0), queueNode('b2', 'w2', 1), 'not-a-candidate'];
    expect(ownersOf(registry, candidates)).toEqual(
      new Map([
        ['a1', { id: 'w1', pid: 42 }],
        ['b2', { id: 'w2' }],
      ]),
    );
  });

  it('keeps what it knew: a session stays named after its nodes are gone', () => {
    const known = new Map([
      ['a1', { id: 'w1', pid: 42 }],
      ['c3', { id: 'w3' }],
    ]);
    const registry = new Map([['w3', node('/s/w3', 'c3', 1, JSON.stringify({ payload: { pid: 7 } }))]]);
    expect(ownersOf(registry, [], known)).toEqual(
      new Map([
        ['a1', { id: 'w1', pid: 42 }],
        ['c3', { id: 'w3', pid: 7 }],
      ]),
    );
  });
});

describe('headIsGone', () => {
  it("is true while the election's head belongs to a process that exited", () => {
    const candidates = [queueNode('b2', 'w2', 5), queueNode('a1', 'w1', 3)];
    const owners = new Map([
      ['a1', { id: 'w1', pid: 100 }],
      ['b2', { id: 'w2', pid: 200 }],
    ]);
    expect(headIsGone(candidates, owners, new Set())).toBe(false);
    expect(headIsGone(candidates, owners, new Set([200]))).toBe(false);
    expect(headIsGone(candidates, owners, new Set([100]))).toBe(true);
    expect(headIsGone([], owners, new Set([100]))).toBe(false);
    expect(headIsGone(null, owners, new Set([100]))).toBe(false);
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

  it("reports a server's mode when it is first seen and when it changes, and a server that cannot be asked", () => {
    const server = '127.0.0.1:2181';
    const leading: DashboardState = { ...base, health: [{ server, ok: true, mode: 'leader' }] };
    const unreachable: DashboardState = {
      ...base,
      health: [{ server, ok: false, error: { name: 'FourLetterError', message: 'connect ECONNREFUSED' } }],
    };
    expect(changes(base, leading)).toEqual([['server', `${server} leader`]]);
    expect(changes(base, unreachable)).toEqual([['server', `${server} unreachable: connect ECONNREFUSED`]]);
    expect(changes(leading, unreachable)).toEqual([['server', `${server} unreachable: connect ECONNREFUSED`]]);
    expect(changes(unreachable, { ...unreachable })).toEqual([]);
    expect(changes(unreachable, leading)).toEqual([['server', `${server} leader`]]);
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

  it("reports a leader whose process is gone, and does not call its leftover node a new leader", () => {
    const gone: DashboardState = { ...base, leaderGone: true, exited: new Set([1]) };
    expect(changes(base, gone)).toEqual([['leader', "w1's process is gone: nobody leads until its session expires"]]);
    const leftover: DashboardState = { ...base, election: { leaderId: 'w2', candidates: ['w2'] }, leaderGone: true };
    expect(changes(base, leftover)).toEqual([
      ['leader', 'w2 (was w1), but its process is gone: nobody leads until its session expires; line: w2'],
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

describe('renderFrame', () => {
  const plain: Paint = (_style, text) => text;
  const colored: Paint = (_style, text) => `\u001b[1m${text}\u001b[22m`;
  const health = (server: string): ServerHealth => ({
    server,
    ok: true,
    mode: 'follower',
    version: '3.8.4',
    latencyMs: { min: 0, avg: 0.25, max: 17 },
    outstanding: 0,
    connections: 12,
    znodes: 1234,
    watches: 56,
  });
  const crowded: DashboardState = {
    ...INITIAL_STATE,
    connection: 'suspended',
    session: '10000abcdef0001',
    instances: ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9'].map((id, i) => ({ ...instance(id, 1), payload: { pid: 10_000 + i } })),
    election: { leaderId: 'w1', candidates: ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9'] },
    lock: { holder: 'w3 (pid 10002)', token: 4294967302n, waiters: ['w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w1', 'w2'] },
    config: { rev: 12, color: 'purple', rateLimit: 175, note: 'x'.repeat(100) },
    health: ['127.0.0.1:2181', '127.0.0.1:2182', '127.0.0.1:2183'].map(health),
  };
  const events = Array.from({ length: 30 }, (_, i) => `12:00:${String(i).padStart(2, '0')}  fault      event number ${i} ${'.'.repeat(90)}`);
  const info = { where: 'embedded at 127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183', startedAt: Date.now(), events };

  it.each([
    ['80x24, 9 workers and 3 servers', crowded, { columns: 80, rows: 24 }],
    ['80x24, 3 workers and 1 server', { ...crowded, instances: crowded.instances.slice(0, 3), health: crowded.health.slice(0, 1) }, { columns: 80, rows: 24 }],
    ['40x12', crowded, { columns: 40, rows: 12 }],
    ['120x50', crowded, { columns: 120, rows: 50 }],
  ])('fits %s, with the connection state on its second line', (_name, state, size) => {
    for (const paint of [plain, colored]) {
      const lines = renderFrame(state, info, paint, size).split('\n');
      expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
      for (const line of lines) expect(visibleLength(line)).toBeLessThanOrEqual(size.columns);
      expect(lines[1]).toMatch(/^(\u001b\[1m)?connection {2}(\u001b\[22m)?(\u001b\[1m)?suspended/);
    }
  });

  it('shows the newest events in the room left, and every instance when there is room', () => {
    const roomy = { ...crowded, instances: crowded.instances.slice(0, 3), health: crowded.health.slice(0, 1) };
    const lines = renderFrame(roomy, info, plain, { columns: 80, rows: 24 });
    expect(lines).toContain('event number 29');
    expect(lines).not.toContain('event number 0 ');
    for (const id of ['w1', 'w2', 'w3']) expect(lines).toMatch(new RegExp(`^ {12}${id}  127\\.0\\.0\\.1:7000, pid \\d+`, 'm'));
    // Nine workers and three servers fold into a line each rather than push the events out.
    const folded = renderFrame(crowded, info, plain, { columns: 80, rows: 24 });
    expect(folded).toMatch(/^services {4}9 registered: w1, w2, w3/m);
    expect(folded).toContain('event number 29');
  });

  it("does not show a crashed worker's leftover node as the leader", () => {
    const state: DashboardState = { ...crowded, instances: crowded.instances.slice(0, 2), leaderGone: true, exited: new Set([10_000]) };
    const frame = renderFrame(state, { ...info, events: [] }, plain, { columns: 120, rows: 40 });
    expect(frame).toMatch(/^leader {6}\(nobody alive\) w1's process is gone; its node leads until its session expires$/m);
    expect(frame).toMatch(/^ {12}w1 .*process gone: registered until its session expires$/m);
    expect(frame).not.toMatch(/ {2}leader$/m);
  });
});

describe('frameSize and fitWidth', () => {
  it('takes a terminal that reports no size as 80x24', () => {
    expect(frameSize({})).toEqual({ columns: 80, rows: 24 });
    expect(frameSize({ columns: 0, rows: 0 })).toEqual({ columns: 80, rows: 24 });
    expect(frameSize({ columns: 132, rows: 43 })).toEqual({ columns: 132, rows: 43 });
  });

  it('cuts to the width, keeping color codes whole and closing them', () => {
    expect(fitWidth('abcdef', 6)).toBe('abcdef');
    expect(fitWidth('abcdefg', 6)).toBe('abcde…');
    const cut = fitWidth('\u001b[32mgreen text\u001b[39m and more', 8);
    expect(cut).toBe('\u001b[32mgreen t…\u001b[0m');
    expect(visibleLength(cut)).toBe(8);
    expect(visibleLength('→ · …')).toBe(5);
  });
});
