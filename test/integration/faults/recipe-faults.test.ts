import { describe, expect, it, onTestFinished } from 'vitest';
import { leadership, lock, register, type ConnectOptions, type ZkClient } from '../../../src/index.js';
import { expireSession, type FaultProxy } from '../../../src/testing/index.js';
import { LeaderTracker } from '../../helpers/leader-tracker.js';
import { ownZooKeeper, testProxy } from '../../helpers/own-zookeeper.js';
import { eventually, record, testClient } from '../../helpers/zk.js';

const own = ownZooKeeper();

let roots = 0;
const freshRoot = () => `/faults-${process.pid}-${roots++}`;

const client = (connectString: string, options: ConnectOptions = {}): Promise<ZkClient> =>
  testClient({ connectString, sessionTimeoutMs: 2_000, ...options });

async function proxied(): Promise<{ proxy: FaultProxy; zk: ZkClient }> {
  const proxy = await testProxy(own.server.connectString);
  return { proxy, zk: await client(proxy.connectString) };
}

describe('recipes under faults', () => {
  it('a partitioned leader steps down before any other candidate takes over', async () => {
    const { proxy, zk: partitioned } = await proxied();
    const [b, c] = await Promise.all([client(own.server.connectString), client(own.server.connectString)]);
    const path = `${freshRoot()}/election`;
    const tracker = new LeaderTracker();
    const events: string[] = [];
    partitioned.state$.subscribe((s) => events.push(`a:${s}`));
    const views = new Map<string, boolean>();
    for (const [zk, id] of [
      [partitioned, 'a'],
      [b, 'b'],
      [c, 'c'],
    ] as const) {
      const sub = leadership(zk, path, { id }).subscribe((l) => {
        views.set(id, l.isLeader);
        tracker.update(id, l.isLeader);
        events.push(`${id}:${l.isLeader ? 'leads' : 'follows'}`);
      });
      onTestFinished(() => sub.unsubscribe());
      if (id === 'a') await eventually(() => views.get('a') === true, 'a to lead');
    }
    await eventually(() => views.get('b') === false && views.get('c') === false, 'b and c to follow');

    await proxy.blackhole();
    await eventually(() => tracker.current.length === 1 && tracker.current[0] !== 'a', 'another candidate to lead', 30_000);
    expect(tracker.violations).toEqual([]);
    const steppedDown = events.indexOf('a:follows');
    const suspended = events.indexOf('a:suspended');
    const takeover = events.findIndex((e) => e === 'b:leads' || e === 'c:leads');
    expect(suspended).toBeGreaterThanOrEqual(0);
    expect(steppedDown).toBeGreaterThan(suspended);
    expect(takeover).toBeGreaterThan(steppedDown);
  });

  it('a partitioned lock holder emits lost before another client acquires', async () => {
    const { proxy, zk: partitioned } = await proxied();
    const other = await client(own.server.connectString);
    const path = `${freshRoot()}/lock`;
    const events: string[] = [];
    const holder = lock(partitioned, path).subscribe((s) => events.push(`a:${s.state}`));
    onTestFinished(() => holder.unsubscribe());
    await eventually(() => events.includes('a:acquired'), 'a to hold the lock');
    const waiter = lock(other, path).subscribe((s) => events.push(`b:${s.state}`));
    onTestFinished(() => waiter.unsubscribe());
    await eventually(() => events.includes('b:waiting'), 'b to wait');

    await proxy.blackhole();
    await eventually(() => events.includes('b:acquired'), 'b to acquire', 30_000);
    expect(events.indexOf('a:lost')).toBeGreaterThan(events.indexOf('a:acquired'));
    expect(events.indexOf('b:acquired')).toBeGreaterThan(events.indexOf('a:lost'));
  });

  it('a candidate whose create reply is lost adopts its node: no orphan, no duplicate', async () => {
    const { proxy, zk } = await proxied();
    const path = `${freshRoot()}/election`;
    await zk.create(path, null, { parents: true });
    const swallowed = proxy.loseNextReply('create');
    const views = record(leadership(zk, path, { id: 'solo' }));
    await swallowed;
    await eventually(() => views.values.at(-1)?.isLeader === true, 'the candidate to lead');
    const nodes = await zk.getChildren(path);
    expect(nodes).toHaveLength(1);
    expect((await zk.exists(`${path}/${nodes[0]}`))?.ephemeralOwner).toBe(zk.sessionId);
  });

  it('a lock waiter whose create reply is lost adopts its node', async () => {
    const { proxy, zk } = await proxied();
    const path = `${freshRoot()}/lock`;
    await zk.create(path, null, { parents: true });
    const swallowed = proxy.loseNextReply('create');
    const states = record(lock(zk, path));
    await swallowed;
    await eventually(() => states.values.at(-1)?.state === 'acquired', 'the lock');
    expect(await zk.getChildren(path)).toHaveLength(1);
    states.subscription.unsubscribe();
    await eventually(async () => (await zk.getChildren(path)).length === 0, 'the release');
  });

  it('after session loss it registers again and stands again on the new session', async () => {
    const zk = await client(own.server.connectString);
    const observer = await client(own.server.connectString);
    const root = freshRoot();
    const registration = record(register(zk, `${root}/services`, { id: 'x1', host: 'h', port: 1 }));
    const views = record(leadership(zk, `${root}/election`, { id: 'x1' }));
    await eventually(
      () => registration.values.at(-1)?.state === 'registered' && views.values.at(-1)?.isLeader === true,
      'registered and leading',
    );
    const oldSession = zk.sessionId;

    await expireSession(zk, { connectString: own.server.connectString });
    await eventually(() => zk.sessionId !== null && zk.sessionId !== oldSession, 'a new session');
    await eventually(
      () => registration.values.at(-1)?.state === 'registered' && views.values.at(-1)?.isLeader === true,
      'registered and leading again',
    );
    expect((await observer.exists(`${root}/services/x1`))?.ephemeralOwner).toBe(zk.sessionId);
    const candidates = await observer.getChildren(`${root}/election`);
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toContain(`-${zk.sessionId}-`);
    expect(views.values.some((v) => !v.isLeader)).toBe(true);
  });
});
