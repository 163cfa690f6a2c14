import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { electLeader, queuePosition, readWritePosition, type NodeScheme, type QueuePosition } from '../../../src/index.js';
import { presenceIn, type QueueRole } from '../../../src/advanced.js';
import { contenderOrder, isReader, leadershipOf, namingFor, parseContender, positionIn } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';
import { queueName } from '../../helpers/nodes.js';

const seq = (n: number) => String(n).padStart(10, '0');
const UUID = '3f0c1e9a-7d1b-4c2e-9a55-0d6f3b2a1c10';
const HEX = '3f0c1e9a7d1b4c2e9a550d6f3b2a1c10';
// What Curator 5 and kazoo 2 name their nodes (InterProcessMutex, LeaderLatch,
// InterProcessReadWriteLock, InterProcessSemaphoreV2; Lock, ReadLock, WriteLock, Election).
const curator = (lockName: string, n: number) => `_c_${UUID}-${lockName}${seq(n)}`;
const kazoo = (nodeName: string, n: number) => `${HEX}${nodeName}${seq(n)}`;

describe('parseContender', () => {
  const table: Array<[string, string, object | null]> = [
    ['rxzk', queueName('node-1', 3), { scheme: 'rxzk', marker: null, sequence: 3, id: 'node-1', session: '1a2b' }],
    ['Curator mutex', curator('lock-', 4), { scheme: 'curator', marker: 'lock-', sequence: 4, uuid: UUID, id: null, session: null }],
    ['Curator latch', curator('latch-', 5), { scheme: 'curator', marker: 'latch-', sequence: 5 }],
    ['Curator reader', curator('__READ__', 6), { scheme: 'curator', marker: '__READ__', sequence: 6 }],
    ['Curator writer', curator('__WRIT__', 7), { scheme: 'curator', marker: '__WRIT__', sequence: 7 }],
    ['Curator lease', curator('lease-', 8), { scheme: 'curator', marker: 'lease-', sequence: 8 }],
    ['Curator, unprotected', `lock-${seq(9)}`, { scheme: 'curator', marker: 'lock-', sequence: 9, uuid: null }],
    ['kazoo lock', kazoo('__lock__', 10), { scheme: 'kazoo', marker: '__lock__', sequence: 10, uuid: HEX, id: null }],
    ['kazoo reader', kazoo('__rlock__', 11), { scheme: 'kazoo', marker: '__rlock__', sequence: 11 }],
    ['kazoo, another prefix', `x__lock__${seq(12)}`, { scheme: 'kazoo', marker: '__lock__', uuid: null }],
    ['unknown but sequential', `member-${seq(13)}`, { scheme: null, marker: null, sequence: 13, uuid: null, id: null }],
    ['not sequential', 'ready', null],
    ['too few digits', 'lock-000000001', null],
  ];
  it.each(table)('%s: %s', (_what, name, expected) => {
    const parsed = parseContender(name);
    if (expected === null) expect(parsed).toBeNull();
    else expect(parsed).toMatchObject({ name, ...expected });
  });
});

describe('namingFor', () => {
  const expected: Record<Exclude<NodeScheme, 'rxzk'>, Record<QueueRole, RegExp>> = {
    curator: {
      lock: /^_c_[0-9a-f-]{36}-lock-$/,
      leader: /^_c_[0-9a-f-]{36}-latch-$/,
      reader: /^_c_[0-9a-f-]{36}-__READ__$/,
      writer: /^_c_[0-9a-f-]{36}-__WRIT__$/,
      'semaphore-lock': /^_c_[0-9a-f-]{36}-lock-$/,
      lease: /^_c_[0-9a-f-]{36}-lease-$/,
    },
    kazoo: {
      lock: /^[0-9a-f]{32}__lock__$/,
      leader: /^[0-9a-f]{32}__lock__$/,
      reader: /^[0-9a-f]{32}__rlock__$/,
      writer: /^[0-9a-f]{32}__lock__$/,
      'semaphore-lock': /^[0-9a-f]{32}__lock__$/,
      lease: /^[0-9a-f]{32}$/,
    },
  };
  for (const [scheme, roles] of Object.entries(expected) as Array<[NodeScheme, Record<QueueRole, RegExp>]>) {
    for (const [role, pattern] of Object.entries(roles) as Array<[QueueRole, RegExp]>) {
      it(`${scheme} ${role}: the name that client gives, parsed back as its own`, () => {
        const naming = namingFor(scheme, role);
        const prefix = naming.prefix('1a2b', 'ignored');
        expect(prefix).toMatch(pattern);
        expect(naming.mode).toBe(role === 'lease' && scheme === 'kazoo' ? 'ephemeral' : 'ephemeral-sequential');
        if (naming.mode === 'ephemeral') return;
        expect(parseContender(`${prefix}${seq(42)}`)).toMatchObject({ scheme, sequence: 42 });
        expect(naming.prefix('1a2b', 'x')).not.toBe(prefix); // a fresh unique id every time
      });
    }
  }

  it('rxzk: the protected name, carrying session and id', () => {
    const prefix = namingFor('rxzk', 'leader').prefix('1a2b', 'node-1');
    expect(parseContender(`${prefix}${seq(1)}`)).toMatchObject({ scheme: 'rxzk', session: '1a2b', id: 'node-1' });
  });
});

describe('contenderOrder', () => {
  it('orders every client’s contenders by sequence number, and names the strangers', () => {
    const children = [kazoo('__lock__', 4), 'ready', queueName('a', 2), curator('lock-', 3), `odd-${seq(1)}`, curator('latch-', 5)];
    const { queue, strangers } = contenderOrder(children);
    expect(queue.map((c) => [c.scheme, c.sequence])).toEqual([
      [null, 1],
      ['rxzk', 2],
      ['curator', 3],
      ['kazoo', 4],
      ['curator', 5],
    ]);
    expect(strangers).toEqual(['ready', `odd-${seq(1)}`]);
  });
});

/** What matters of a position: held, and the one node waited on. */
const decision = (p: QueuePosition) => ({ present: p.present, holds: p.holds, predecessor: p.predecessor });
const holds = { present: true, holds: true, predecessor: null };
const waitsOn = (node: string) => ({ present: true, holds: false, predecessor: node });

describe('positionIn beside other clients', () => {
  const ours = queueName('lock', 5);
  const table: Array<[string, string[], object]> = [
    ['a Curator holder ahead', [curator('lock-', 1), ours], waitsOn(curator('lock-', 1))],
    ['a kazoo holder ahead', [ours, kazoo('__lock__', 4)], waitsOn(kazoo('__lock__', 4))],
    ['an unknown sequential node ahead', [`x-${seq(0)}`, ours], waitsOn(`x-${seq(0)}`)],
    ['foreign nodes behind', [ours, curator('lock-', 6), kazoo('__lock__', 7)], holds],
    ['a plain child does not queue', ['ready', ours], holds],
  ];
  it.each(table)('%s', (_what, children, expected) => expect(decision(positionIn(children, ours))).toEqual(expected));
});

describe('readWritePosition beside other clients', () => {
  const ourReader = queueName('read', 5);
  const ourWriter = queueName('write', 5);
  const table: Array<[string, 'read' | 'write', string[], string, object]> = [
    ['after Curator’s reader, ours reads too', 'read', [curator('__READ__', 1), ourReader], ourReader, holds],
    ['after kazoo’s reader, ours reads too', 'read', [kazoo('__rlock__', 1), ourReader], ourReader, holds],
    ['Curator’s writer ahead', 'read', [curator('__WRIT__', 1), ourReader], ourReader, waitsOn(curator('__WRIT__', 1))],
    ['kazoo’s writer ahead', 'read', [kazoo('__lock__', 1), ourReader], ourReader, waitsOn(kazoo('__lock__', 1))],
    ['a Curator mutex or latch counts as a writer', 'read', [curator('latch-', 1), ourReader], ourReader, waitsOn(curator('latch-', 1))],
    ['our writer waits on their reader', 'write', [kazoo('__rlock__', 1), ourWriter], ourWriter, waitsOn(kazoo('__rlock__', 1))],
    [
      'a reader waits on the nearest writer ahead, whoever made it',
      'read',
      [curator('__WRIT__', 1), kazoo('__lock__', 2), curator('__READ__', 3), ourReader],
      ourReader,
      waitsOn(kazoo('__lock__', 2)),
    ],
  ];
  it.each(table)('%s', (_what, kind, children, own, expected) =>
    expect(decision(readWritePosition(kind)(children, own))).toEqual(expected),
  );

  it('tells readers by each client’s marker', () => {
    const readers = [queueName('read', 1), curator('__READ__', 2), kazoo('__rlock__', 3)].map((n) => isReader(parseContender(n)!));
    const writers = [queueName('write', 1), curator('__WRIT__', 2), kazoo('__lock__', 3), `x-${seq(4)}`].map((n) =>
      isReader(parseContender(n)!),
    );
    expect({ readers, writers }).toEqual({ readers: [true, true, true], writers: [false, false, false, false] });
  });
});

describe('presenceIn', () => {
  it('holds while the node is there, sequential or not', () => {
    expect(decision(presenceIn([HEX, 'other'], HEX))).toEqual(holds);
    expect(decision(presenceIn(['other'], HEX))).toEqual({ present: false, holds: false, predecessor: null });
  });
});

describe('leadershipOf with ids from the nodes’ data', () => {
  it('names foreign candidates by the ids given, rxzk’s by their names, and the unknown as ""', () => {
    const theirs = curator('latch-', 1);
    const kazooCandidate = kazoo('__lock__', 2);
    const ours = queueName('rxzk-1', 3);
    const position = positionIn([ours, kazooCandidate, theirs], ours);
    expect(leadershipOf(position, new Map([[theirs, 'java-1']]))).toEqual({
      isLeader: false,
      leaderId: 'java-1',
      candidates: ['java-1', '', 'rxzk-1'],
    });
  });
});

describe('queuePosition and electLeader over mixed child lists', () => {
  const ours = queueName('me', 5);
  const lists = {
    a: [curator('latch-', 1), kazoo('__lock__', 2), ours],
    b: [kazoo('__lock__', 2), ours],
    c: [ours, curator('latch-', 9)],
  };
  cases(
    'waits for every foreign candidate ahead, in sequence order',
    (m, c) => {
      const source = m.cold(c.source, lists);
      m.expect(source.pipe(queuePosition(ours), map((p) => p.predecessor ?? 'holds'))).toBeObservable(c.expected, {
        K: kazoo('__lock__', 2),
        H: 'holds',
      });
      m.expect(source.pipe(electLeader(ours), map((l) => l.isLeader))).toBeObservable(c.leads, { f: false, t: true });
      m.expect(source).toHaveSubscriptions([c.subs, c.subs]);
    },
    {
      'their candidates leave one by one': { source: 'a-b-c|', expected: 'K-K-H|', leads: 'f-f-t|', subs: '^----!' },
    },
  );
});
