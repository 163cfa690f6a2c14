import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barrier, BarrierTimeoutError, connect, InvalidArgumentError, InvalidPathError, type ZkClient } from '../../../src/index.js';
import { expireSession } from '../../../src/testing/index.js';
import { watchersOf } from '../../helpers/watches.js';
import { eventually, nextMatching, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

describe('barrier', () => {
  const clients: ZkClient[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) clients.push(connect(sharedConnectString(), { sessionTimeoutMs: 6_000 }));
    await Promise.all(clients.map((zk) => zk.ready({ timeoutMs: 20_000 })));
  });
  afterAll(() => Promise.all(clients.map((zk) => zk.close())));

  it('lets waiters through at once when it is not set', async () => {
    const path = `${await testRoot(clients[0]!, 'barrier-unset')}/gate`;
    const waiter = record(barrier(clients[0]!, path).wait$());
    await eventually(() => waiter.completed(), 'the waiter to pass');
    expect(waiter.values).toEqual([undefined]);
  });

  it('holds every waiter until it is removed, then lets them all through', async () => {
    const [a, b, c] = clients as [ZkClient, ZkClient, ZkClient];
    const path = `${await testRoot(a, 'barrier-set')}/gate`;
    const coordinator = barrier(a, path);
    await coordinator.set();
    await coordinator.set(); // setting twice is fine
    const waiters = [a, b, c].map((zk) => record(barrier(zk, path).wait$()));
    await eventually(async () => (await watchersOf(sharedConnectString(), path)).size === 3, 'every waiter to watch the barrier');
    expect(waiters.map((w) => [w.values.length, w.completed()])).toEqual([[0, false], [0, false], [0, false]]);

    await coordinator.remove();
    await eventually(() => waiters.every((w) => w.completed()), 'every waiter to pass');
    expect(waiters.map((w) => w.values)).toEqual([[undefined], [undefined], [undefined]]);
    await coordinator.remove(); // removing twice is fine
    // getData watches: none is left on the server once the barrier is gone.
    expect((await watchersOf(sharedConnectString(), path)).size).toBe(0);
  });

  it('a waiter whose session is lost keeps waiting on its new session and passes when lifted', async () => {
    const waiterClient = await testClient();
    const path = `${await testRoot(clients[0]!, 'barrier-expired')}/gate`;
    await barrier(clients[0]!, path).set();
    const waiter = record(barrier(waiterClient, path).wait$());
    const lost = nextMatching(waiterClient.state$, (s) => s === 'lost', 'the waiter to lose its session');
    await expireSession(waiterClient);
    await lost;
    await nextMatching(waiterClient.state$, (s) => s === 'connected', 'a new session');
    await eventually(async () => (await watchersOf(sharedConnectString(), path)).has(waiterClient.sessionId!), 'the waiter to watch again');
    expect(waiter.completed()).toBe(false);
    await barrier(clients[0]!, path).remove();
    await eventually(() => waiter.completed(), 'the waiter to pass');
    expect(waiter.errors).toEqual([]);
  });

  it('a waiter whose client closes completes without passing', async () => {
    const waiterClient = await testClient();
    const path = `${await testRoot(clients[0]!, 'barrier-closed')}/gate`;
    await barrier(clients[0]!, path).set();
    const waiter = record(barrier(waiterClient, path).wait$());
    await eventually(async () => (await watchersOf(sharedConnectString(), path)).has(waiterClient.sessionId!), 'the waiter to watch');
    await waiterClient.close();
    await eventually(() => waiter.completed(), 'the waiter to complete');
    expect([waiter.values, waiter.errors]).toEqual([[], []]);
  });

  it('errors with BarrierTimeoutError when not lifted in time', async () => {
    const path = `${await testRoot(clients[0]!, 'barrier-timeout')}/gate`;
    await barrier(clients[0]!, path).set();
    const waiter = record(barrier(clients[1]!, path).wait$({ timeoutMs: 200 }));
    await eventually(() => waiter.errors.length === 1, 'the waiter to give up');
    expect(waiter.errors[0]).toBeInstanceOf(BarrierTimeoutError);
    expect((waiter.errors[0] as Error).message).toBe(`barrier ${path}: not lifted within 200 ms`);
  });

  it('refuses a bad path or options at the call', () => {
    expect(() => barrier(clients[0]!, 'gate')).toThrow(InvalidPathError);
    expect(() => barrier(clients[0]!, '/gate').wait$({ timeoutMs: -1 })).toThrow(InvalidArgumentError);
  });
});
