import { finalize, lastValueFrom, tap, timer, type Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  connect,
  InvalidArgumentError,
  InvalidPathError,
  semaphore,
  SemaphoreTimeoutError,
  type LeaseState,
  type ZkClient,
} from '../../../src/index.js';
import { expireSession, faultProxy } from '../../../src/testing/index.js';
import { permitDetector, type OverlapDetector } from '../../helpers/overlap.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

const state = (r: { values: LeaseState[] }) => r.values.at(-1)?.state;

/** Records a participant's lease states and reports its holding to the detector. */
function follow(detector: OverlapDetector<'lease'>, who: string, states: Observable<LeaseState>) {
  return record(states.pipe(tap(detector.follow<LeaseState>(who, 'lease')), finalize(() => detector.leave(who))));
}

/**
 * Two round trips on `zk`'s session: a change already made on the server has been notified to
 * this client, and whatever it sent in reply has been processed (one session is served in order).
 */
async function settle(zk: ZkClient): Promise<void> {
  await zk.exists('/');
  await zk.exists('/');
}

describe('semaphore', () => {
  const clients: ZkClient[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 4; i++) clients.push(connect(sharedConnectString(), { sessionTimeoutMs: 6_000 }));
    await Promise.all(clients.map((zk) => zk.ready({ timeoutMs: 20_000 })));
  });
  afterAll(() => Promise.all(clients.map((zk) => zk.close())));
  const leases = async (path: string) => (await clients[0]!.getChildren(`${path}/leases`).catch(() => [])).length;
  const queued = async (path: string) => (await clients[0]!.getChildren(`${path}/locks`).catch(() => [])).length;

  it('grants at most `permits` leases, and a waiter notices when any holder, not only the newest, leaves', async () => {
    const [a, b, c, d] = clients as [ZkClient, ZkClient, ZkClient, ZkClient];
    const path = `${await testRoot(a, 'sem-permits')}/sem`;
    const detector = permitDetector(2);
    const first = follow(detector, 'a', semaphore(a, path, { permits: 2 }));
    await eventually(() => state(first) === 'acquired', 'the first lease');
    const second = follow(detector, 'b', semaphore(b, path, { permits: 2 }));
    await eventually(() => state(second) === 'acquired', 'the second lease');
    const third = follow(detector, 'c', semaphore(c, path, { permits: 2 }));
    await eventually(async () => (await queued(path)) === 1, 'the third to hold the semaphore lock');
    const fourth = follow(detector, 'd', semaphore(d, path, { permits: 2 }));
    await eventually(async () => (await queued(path)) === 2, 'the fourth to queue');
    await settle(c);
    expect([state(third), state(fourth), await leases(path)]).toEqual(['waiting', 'waiting', 2]);

    first.subscription.unsubscribe(); // the older holder leaves
    await eventually(() => state(third) === 'acquired', 'the third to get the freed permit');
    await eventually(async () => (await queued(path)) === 1, 'the fourth to hold the semaphore lock');
    await settle(d);
    expect([state(fourth), await leases(path)]).toEqual(['waiting', 2]);
    second.subscription.unsubscribe();
    await eventually(() => state(fourth) === 'acquired', 'the fourth to get a permit');
    third.subscription.unsubscribe();
    fourth.subscription.unsubscribe();
    await eventually(async () => (await leases(path)) + (await queued(path)) === 0, 'every node to be gone');
    expect(detector.violations).toEqual([]);
    expect(detector.order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never lets more than `permits` hold, under contention', async () => {
    const path = `${await testRoot(clients[0]!, 'sem-stress')}/sem`;
    const detector = permitDetector(2);
    const rounds = 4;
    const participant = async (zk: ZkClient, who: string) => {
      for (let round = 0; round < rounds; round++) {
        const lease = follow(detector, `${who}-${round}`, semaphore(zk, path, { permits: 2 }));
        await eventually(() => state(lease) === 'acquired', `${who} to get a lease`);
        await lastValueFrom(timer(Math.floor(Math.random() * 15)));
        lease.subscription.unsubscribe();
      }
    };
    await Promise.all([...clients.map((zk, i) => participant(zk, `p${i}`)), participant(clients[0]!, 'p4')]);
    expect(detector.order).toHaveLength(5 * rounds);
    expect(detector.most.get('lease')).toBeLessThanOrEqual(2);
    expect(detector.violations).toEqual([]);
  });

  it('honours a lowered permit count for new leases, without revoking leases already held', async () => {
    const [a, b, c, d] = clients as [ZkClient, ZkClient, ZkClient, ZkClient];
    const path = `${await testRoot(a, 'sem-lowered')}/sem`;
    const held = [a, b, c].map((zk) => record(semaphore(zk, path, { permits: 3 })));
    await eventually(() => held.every((h) => state(h) === 'acquired'), 'three leases under the old count');
    const late = record(semaphore(d, path, { permits: 2 }));
    await eventually(async () => (await queued(path)) === 1, 'the late participant to hold the semaphore lock');
    await settle(d);
    expect([state(late), await leases(path)]).toEqual(['waiting', 3]);

    held[0]!.subscription.unsubscribe();
    await eventually(async () => (await leases(path)) === 2, 'one lease to be released');
    await settle(d);
    // Two held: not fewer than its 2 permits. A wrong grant would have sent its create by now.
    expect([state(late), await leases(path)]).toEqual(['waiting', 2]);
    expect(held.slice(1).map(state)).toEqual(['acquired', 'acquired']); // nobody was revoked

    held[1]!.subscription.unsubscribe();
    await eventually(() => state(late) === 'acquired', 'the late participant to get a lease');
    expect(await leases(path)).toBe(2);
  });

  it('a holder whose session is lost says lost, and its lease goes to the next waiter', async () => {
    const holderClient = await testClient();
    const path = `${await testRoot(clients[0]!, 'sem-expired')}/sem`;
    const detector = permitDetector(1);
    const holder = follow(detector, 'holder', semaphore(holderClient, path, { permits: 1 }));
    await eventually(() => state(holder) === 'acquired', 'the holder to hold');
    const waiter = follow(detector, 'waiter', semaphore(clients[1]!, path, { permits: 1 }));
    await eventually(async () => (await queued(path)) === 1, 'the waiter to queue');

    await expireSession(holderClient);
    await eventually(() => state(waiter) === 'acquired', 'the waiter to get the lease');
    expect(holder.values.map((v) => v.state).slice(0, 3)).toEqual(['waiting', 'acquired', 'lost']);
    expect(detector.violations).toEqual([]);
    // The crashed holder's client got a new session and queues again behind the new holder.
    await eventually(() => state(holder) === 'waiting', 'the old holder to wait on its new session');
  });

  it('a waiter that crashes while it holds the semaphore lock does not block the next', async () => {
    // A crash, not a close: the crasher goes silent (its proxy blackholes everything) and the
    // server expires its session, which takes its node; nothing of it deletes anything.
    const proxy = await faultProxy(sharedConnectString());
    onTestFinished(() => proxy.close());
    const crasher = await testClient({ connectString: proxy.connectString, sessionTimeoutMs: 2_000 });
    const [a, b] = clients as [ZkClient, ZkClient];
    const path = `${await testRoot(a, 'sem-crash-waiting')}/sem`;
    const holder = record(semaphore(a, path, { permits: 1 }));
    await eventually(() => state(holder) === 'acquired', 'the holder to hold');
    record(semaphore(crasher, path, { permits: 1 }));
    await eventually(async () => (await queued(path)) === 1, 'the crasher to hold the semaphore lock');
    const next = record(semaphore(b, path, { permits: 1 }));
    await eventually(async () => (await queued(path)) === 2, 'the next to queue');

    await proxy.blackhole();
    await eventually(async () => (await queued(path)) === 1, "the crasher's lock node to go with its session");
    holder.subscription.unsubscribe();
    await eventually(() => state(next) === 'acquired', 'the next to get the lease');
  });

  it('a waiter that times out removes its nodes, then errors with SemaphoreTimeoutError', async () => {
    const [a, b] = clients as [ZkClient, ZkClient];
    const path = `${await testRoot(a, 'sem-timeout')}/sem`;
    const holder = record(semaphore(a, path, { permits: 1 }));
    await eventually(() => state(holder) === 'acquired', 'the holder to hold');
    const waiter = record(semaphore(b, path, { permits: 1, timeoutMs: 300 }));
    await eventually(() => waiter.errors.length === 1, 'the waiter to give up');
    expect(waiter.errors[0]).toBeInstanceOf(SemaphoreTimeoutError);
    expect((waiter.errors[0] as Error).message).toBe(`semaphore ${path}: no lease within 300 ms; left the queue`);
    expect([await leases(path), await queued(path)]).toEqual([1, 0]);
  });

  it('takes a lease whose create reply was lost, once, and holds it again after a suspension', async () => {
    const proxy = await faultProxy(sharedConnectString());
    onTestFinished(() => proxy.close());
    const zk = await testClient({ connectString: proxy.connectString });
    const path = `${await testRoot(clients[0]!, 'sem-faults')}/sem`;
    await clients[0]!.create(`${path}/locks`, null, { parents: true });
    await clients[0]!.create(`${path}/leases`, null);

    const lease = record(semaphore(zk, path, { permits: 1 }));
    await proxy.loseNextReply('create'); // the lock node's create took effect; its reply is lost
    await proxy.loseNextReply('create'); // and so is the lease's
    await eventually(() => state(lease) === 'acquired', 'the lease');
    expect([await leases(path), await queued(path)]).toEqual([1, 0]);
    const token = lease.values.at(-1)!.fencingToken;

    await proxy.drop();
    await eventually(() => state(lease) === 'lost', 'the suspended holder to say lost');
    await proxy.restore();
    await eventually(() => state(lease) === 'acquired', 'the same lease again after reconnecting');
    expect(lease.values.at(-1)!.fencingToken).toBe(token);
    expect(lease.values.map((v) => v.state)).toEqual(['waiting', 'acquired', 'lost', 'acquired']);
    expect(await leases(path)).toBe(1);
  });

  it('refuses a bad path or options at the call', () => {
    const zk = clients[0]!;
    expect(() => semaphore(zk, '/s/', { permits: 1 })).toThrow(InvalidPathError);
    expect(() => semaphore(zk, '/s', { permits: 0 })).toThrow(new InvalidArgumentError('semaphore /s: permits must be an integer >= 1, got 0'));
    expect(() => semaphore(zk, '/s', { permits: 1.5 })).toThrow(/got 1.5/);
    expect(() => semaphore(zk, '/s', {} as never)).toThrow(/got undefined/);
    expect(() => semaphore(zk, '/s', { permits: 1, timeoutMs: -5 })).toThrow(InvalidArgumentError);
  });
});
