import { describe, expect, it, onTestFinished } from 'vitest';
import { leadership, lock, register, withLock, type ZkClient } from '../../../src/index.js';
import type { FaultProxy } from '../../../src/testing/index.js';
import { holdSession } from '../../helpers/hold-session.js';
import { ownZooKeeper, testProxy } from '../../helpers/own-zookeeper.js';
import { eventually, nextMatching, record, testClient } from '../../helpers/zk.js';

/**
 * A client cut off for longer than its session timeout presumes its session lost, but the server
 * may still hold it (an ensemble's leader election restarts every session's expiry clock), and the
 * old session's nodes with it. Here another connection keeps the old session alive on the server
 * while the client is cut off, so that only the client itself can remove those nodes: every recipe
 * must do so from its new session as soon as it has one, not leave them until the server expires
 * the old session.
 */
const SESSION_TIMEOUT_MS = 2_000;

const own = ownZooKeeper();

const client = (connectString: string): Promise<ZkClient> => testClient({ connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS });

/** Keeps `zk`'s session alive on the server until the test ends (see holdSession). */
async function hold(zk: ZkClient): Promise<{ alive(): boolean }> {
  const held = await holdSession(zk, own.server.connectString);
  onTestFinished(() => held.close());
  return held;
}

/**
 * Cuts `zk` off, keeps its session alive on the server from elsewhere, waits until `zk` has
 * presumed it lost, and lets `zk` reach the server again (it then builds a new session).
 */
async function presumeLostWhileTheServerHoldsIt(zk: ZkClient, proxy: FaultProxy): Promise<{ alive(): boolean }> {
  const lost = nextMatching(zk.state$, (s) => s === 'lost', 'lost', 10 * SESSION_TIMEOUT_MS);
  await proxy.refuse();
  const held = await hold(zk);
  await lost;
  await proxy.restore();
  await nextMatching(zk.state$, (s) => s === 'connected', 'a new session', 10 * SESSION_TIMEOUT_MS);
  return held;
}

describe("an old session's nodes, while the server still holds that session", () => {
  it('withLock: the lost holder deletes its old lock node from its new session, and the next waiter gets the lock', async () => {
    const proxy = await testProxy(own.server.connectString);
    const a = await client(proxy.connectString);
    const b = await client(own.server.connectString);
    let working = false;
    const holding = record(
      withLock(a, '/old-session/lock', () => {
        working = true;
        return new Promise<never>(() => undefined);
      }),
    );
    await eventually(() => working, 'a to hold the lock and run its work');
    const waiter = record(lock(b, '/old-session/lock'));
    await eventually(() => waiter.values.at(-1)?.state === 'waiting', 'the waiter to queue');

    const held = await presumeLostWhileTheServerHoldsIt(a, proxy);
    await eventually(() => holding.errors.length === 1, 'withLock to error');
    expect((holding.errors[0] as Error).name).toBe('LockLostError');
    await eventually(() => waiter.values.at(-1)?.state === 'acquired', 'the waiter to get the lock');
    // ...while the old session was still alive on the server: only the client could have deleted it.
    expect(held.alive()).toBe(true);
  });

  it('leadership: a candidate that withdrew while cut off deletes its old node from its new session', async () => {
    const proxy = await testProxy(own.server.connectString);
    const a = await client(proxy.connectString);
    const b = await client(own.server.connectString);
    const leaderA = record(leadership(a, '/old-session/election', { id: 'a' }));
    await eventually(() => leaderA.values.at(-1)?.isLeader === true, 'a to lead');
    const leaderB = record(leadership(b, '/old-session/election', { id: 'b' }));
    await eventually(() => leaderB.values.at(-1)?.leaderId === 'a', 'b to follow a');

    const lost = nextMatching(a.state$, (s) => s === 'suspended', 'suspended');
    await proxy.refuse();
    await lost;
    leaderA.subscription.unsubscribe(); // withdraws while it cannot reach the server
    const held = await hold(a);
    await nextMatching(a.state$, (s) => s === 'lost', 'lost', 10 * SESSION_TIMEOUT_MS);
    await proxy.restore();

    await eventually(() => leaderB.values.at(-1)?.isLeader === true, 'b to lead');
    expect(held.alive()).toBe(true);
  });

  it('register: the instance replaces its own old node at once instead of waiting it out as stale', async () => {
    const proxy = await testProxy(own.server.connectString);
    const a = await client(proxy.connectString);
    const states = record(register(a, '/old-session/services', { id: 'a1', host: '127.0.0.1', port: 80 }));
    await eventually(() => states.values.at(-1)?.state === 'registered', 'registered');

    const held = await presumeLostWhileTheServerHoldsIt(a, proxy);
    await eventually(() => states.values.at(-1)?.state === 'registered', 'registered on the new session');
    expect(states.values.map((s) => s.state)).not.toContain('waiting-for-stale');
    const stat = await a.exists('/old-session/services/a1');
    expect(stat?.ephemeralOwner).toBe(a.sessionId);
    expect(held.alive()).toBe(true);
  });
});
