import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BarrierTimeoutError, connect, doubleBarrier, InvalidArgumentError, InvalidPathError, type DoubleBarrierState, type ZkClient } from '../../../src/index.js';
import { queueOrder } from '../../../src/advanced.js';
import { expireSession } from '../../../src/testing/index.js';
import { watchersOf } from '../../helpers/watches.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

const phase = (r: { values: DoubleBarrierState[] }) => r.values.at(-1)?.phase;

describe('doubleBarrier', () => {
  const clients: ZkClient[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) clients.push(connect(sharedConnectString(), { sessionTimeoutMs: 6_000 }));
    await Promise.all(clients.map((zk) => zk.ready({ timeoutMs: 20_000 })));
  });
  afterAll(() => Promise.all(clients.map((zk) => zk.close())));

  /** Member node paths under the barrier, in arrival order. */
  const members = async (path: string) =>
    queueOrder(await clients[0]!.getChildren(path).catch(() => [])).map((p) => `${path}/${p.name}`);

  it('members enter once `count` have arrived, and leave once all have left', async () => {
    const [a, b, c] = clients as [ZkClient, ZkClient, ZkClient];
    const path = `${await testRoot(a, 'dbarrier')}/round`;
    const [m1, m2, m3] = [a, b, c].map((zk, i) => doubleBarrier(zk, path, { count: 3, id: `w${i + 1}` })) as [
      ReturnType<typeof doubleBarrier>,
      ReturnType<typeof doubleBarrier>,
      ReturnType<typeof doubleBarrier>,
    ];
    const in1 = record(m1.enter$());
    await eventually(async () => (await members(path)).length === 1, 'the first member to arrive');
    const in2 = record(m2.enter$());
    await eventually(async () => (await watchersOf(sharedConnectString(), `${path}/ready`)).size === 2, 'both to wait for ready');
    expect([phase(in1), phase(in2)]).toEqual(['entering', 'entering']);
    expect(in2.values.at(-1)?.members).toEqual(['w1', 'w2']);

    const in3 = record(m3.enter$());
    await eventually(() => [in1, in2, in3].every((r) => r.completed()), 'all three to enter');
    expect([in1, in2, in3].map(phase)).toEqual(['entered', 'entered', 'entered']);
    const [n1, , n3] = await members(path);

    const out1 = record(m1.leave$());
    const out2 = record(m2.leave$());
    // The lowest waits on the highest; the middle one has deleted its node and waits on the lowest.
    await eventually(async () => (await watchersOf(sharedConnectString(), n3!)).has(a.sessionId!), 'the lowest to wait on the highest');
    await eventually(async () => (await watchersOf(sharedConnectString(), n1!)).has(b.sessionId!), 'the middle one to wait on the lowest');
    expect((await members(path)).length).toBe(2);
    expect([phase(out1), phase(out2)]).toEqual(['leaving', 'leaving']);

    const out3 = record(m3.leave$());
    await eventually(() => [out1, out2, out3].every((r) => r.completed()), 'all three to leave');
    expect([out1, out2, out3].map(phase)).toEqual(['left', 'left', 'left']);
    expect(await a.getChildren(path)).toEqual([]); // members and ready are gone: ready for another round
  });

  it('a member that crashes while entering is replaced by the next to arrive; nobody enters early', async () => {
    const crasher = await testClient();
    const [a, b, c] = clients as [ZkClient, ZkClient, ZkClient];
    const path = `${await testRoot(a, 'dbarrier-crash-entering')}/round`;
    record(doubleBarrier(crasher, path, { count: 3, id: 'crasher' }).enter$());
    const in1 = record(doubleBarrier(a, path, { count: 3, id: 'w1' }).enter$());
    await eventually(async () => (await members(path)).length === 2, 'two members to arrive');
    await crasher.close();
    const in2 = record(doubleBarrier(b, path, { count: 3, id: 'w2' }).enter$());
    await eventually(() => in2.values.at(-1)?.members.join() === 'w1,w2', 'the next to see the crasher gone');
    expect([phase(in1), phase(in2)]).toEqual(['entering', 'entering']);
    expect(await a.exists(`${path}/ready`)).toBeNull();
    const in3 = record(doubleBarrier(c, path, { count: 3, id: 'w3' }).enter$());
    await eventually(() => [in1, in2, in3].every((r) => phase(r) === 'entered'), 'the three live members to enter');
  });

  it('a member whose session is lost while in does not wedge the others on the way out', async () => {
    const crasherClient = await testClient();
    const [a, b] = clients as [ZkClient, ZkClient];
    const path = `${await testRoot(a, 'dbarrier-crash-in')}/round`;
    const all = [a, b, crasherClient].map((zk, i) => doubleBarrier(zk, path, { count: 3, id: `w${i + 1}` }));
    // One after the other, so that the crasher's node is the highest.
    const entries: Array<ReturnType<typeof record<DoubleBarrierState>>> = [];
    for (const [i, member] of all.entries()) {
      entries.push(record(member.enter$()));
      await eventually(async () => (await members(path)).length === i + 1, `member ${i + 1} to arrive`);
    }
    await eventually(() => entries.every((r) => phase(r) === 'entered'), 'all three to enter');
    const outs = all.slice(0, 2).map((m) => record(m.leave$()));
    await eventually(async () => (await members(path)).length === 2, 'the middle member to delete its node');
    expect(outs.map(phase)).toEqual(['leaving', 'leaving']);

    await expireSession(crasherClient); // the highest, which the lowest waits on
    await eventually(() => outs.every((r) => r.completed()), 'the others to leave');
    expect(outs.map(phase)).toEqual(['left', 'left']);
  });

  it('the lowest member crashing while leaving does not wedge the others', async () => {
    const lowestClient = await testClient();
    const [a, b] = clients as [ZkClient, ZkClient];
    const path = `${await testRoot(a, 'dbarrier-crash-leaving')}/round`;
    const lowest = doubleBarrier(lowestClient, path, { count: 3, id: 'lowest' });
    const lowIn = record(lowest.enter$());
    await eventually(async () => (await members(path)).length === 1, 'the lowest to arrive first');
    const others = [a, b].map((zk, i) => doubleBarrier(zk, path, { count: 3, id: `w${i + 2}` }));
    const entries = others.map((m) => record(m.enter$())); // in either order: both are above the lowest
    await eventually(() => [lowIn, ...entries].every((r) => phase(r) === 'entered'), 'all three to enter');
    record(lowest.leave$());
    const middleOut = record(others[0]!.leave$());
    await eventually(async () => (await members(path)).length === 2, 'a member above the lowest to delete its node');

    await expireSession(lowestClient);
    expect(phase(middleOut)).toBe('leaving');
    const lastOut = record(others[1]!.leave$());
    await eventually(() => middleOut.completed() && lastOut.completed(), 'the others to leave');
    expect([phase(middleOut), phase(lastOut)]).toEqual(['left', 'left']);
  });

  it('a member that times out entering removes its node and errors with BarrierTimeoutError', async () => {
    const path = `${await testRoot(clients[0]!, 'dbarrier-timeout')}/round`;
    const entry = record(doubleBarrier(clients[0]!, path, { count: 2, id: 'alone', timeoutMs: 300 }).enter$());
    await eventually(() => entry.errors.length === 1, 'the member to give up');
    expect(entry.errors[0]).toBeInstanceOf(BarrierTimeoutError);
    expect((entry.errors[0] as Error).message).toBe(`doubleBarrier ${path}: not entered within 300 ms; removed this member`);
    expect(await members(path)).toEqual([]);
  });

  it('refuses a bad path or options at the call', () => {
    const zk = clients[0]!;
    expect(() => doubleBarrier(zk, '/b/', { count: 2, id: 'x' })).toThrow(InvalidPathError);
    expect(() => doubleBarrier(zk, '/b', { count: 0, id: 'x' })).toThrow(
      new InvalidArgumentError('doubleBarrier /b: count must be an integer >= 1, got 0'),
    );
    expect(() => doubleBarrier(zk, '/b', { count: 2, id: '' })).toThrow(InvalidArgumentError);
    expect(() => doubleBarrier(zk, '/b', { count: 2, id: 'x', timeoutMs: -1 })).toThrow(InvalidArgumentError);
  });
});
