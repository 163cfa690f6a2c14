import { lastValueFrom, timer, map } from 'rxjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  ClientClosedError,
  lock,
  LockTimeoutError,
  withLock,
  withReadLock,
  withWriteLock,
  type LockState,
  type ZkClient,
} from '../../../src/index.js';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

describe('withLock', () => {
  it('never lets two holders overlap, across clients hammering the same lock', async () => {
    const clients = await Promise.all([testClient(), testClient(), testClient(), testClient()]);
    const root = await testRoot(clients[0]!, 'lock');
    const lockPath = `${root}/lock`;
    const counter = `${root}/counter`;
    await clients[0]!.create(counter, '0');
    let inside = 0;
    let overlaps = 0;
    const runsPerClient = 8;
    // The work is a read-modify-write without versions: only mutual exclusion keeps it exact.
    const increment = (zk: ZkClient) => async () => {
      inside++;
      if (inside > 1) overlaps++;
      const value = Number((await zk.get(counter)).data.toString());
      await zk.set(counter, String(value + 1));
      inside--;
      return value + 1;
    };
    await Promise.all(
      clients.flatMap((zk) =>
        Array.from({ length: runsPerClient }, () => lastValueFrom(withLock(zk, lockPath, increment(zk)))),
      ),
    );
    expect(overlaps).toBe(0);
    expect((await clients[0]!.get(counter)).data.toString()).toBe(String(clients.length * runsPerClient));
    // Every release was acknowledged before each withLock completed: no node is left.
    expect(await clients[0]!.getChildren(lockPath)).toEqual([]);
  });

  it('releases the lock when the work fails, and passes the error on', async () => {
    const zk = await testClient();
    const lockPath = `${await testRoot(zk, 'lock')}/lock`;
    await expect(
      lastValueFrom(
        withLock(zk, lockPath, () => {
          throw new Error('work failed');
        }),
      ),
    ).rejects.toThrow('work failed');
    expect(await zk.getChildren(lockPath)).toEqual([]);
  });
});

describe('lock', () => {
  it('serves waiters in arrival order with growing fencing tokens', async () => {
    const clients = await Promise.all([testClient(), testClient(), testClient()]);
    const lockPath = `${await testRoot(clients[0]!, 'lock')}/lock`;
    const acquired: string[] = [];
    const tokens: bigint[] = [];
    const subscriptions = clients.map((zk, i) => ({ zk, i, sub: undefined as undefined | { unsubscribe(): void } }));
    for (const entry of subscriptions) {
      entry.sub = lock(entry.zk, lockPath).subscribe((s: LockState) => {
        if (s.state === 'acquired') {
          acquired.push(`w${entry.i}`);
          tokens.push(s.fencingToken!);
        }
      });
      onTestFinished(() => entry.sub?.unsubscribe());
      await eventually(
        async () => (await entry.zk.exists(lockPath)) !== null && (await entry.zk.getChildren(lockPath)).length === entry.i + 1,
        `w${entry.i} to queue`,
      );
    }
    await eventually(() => acquired.length === 1, 'the first holder');
    subscriptions[0]!.sub!.unsubscribe();
    await eventually(() => acquired.length === 2, 'the second holder');
    subscriptions[1]!.sub!.unsubscribe();
    await eventually(() => acquired.length === 3, 'the third holder');
    expect(acquired).toEqual(['w0', 'w1', 'w2']);
    expect(tokens[0]! < tokens[1]! && tokens[1]! < tokens[2]!).toBe(true);
  });

  it('gives up after timeoutMs with LockTimeoutError and leaves no node behind', async () => {
    const [a, b] = await Promise.all([testClient(), testClient()]);
    const lockPath = `${await testRoot(a, 'lock')}/lock`;
    const holder = record(lock(a, lockPath));
    await eventually(() => holder.values.at(-1)?.state === 'acquired', 'a to hold the lock');
    const holderNodes = await a.getChildren(lockPath);

    const waiter = record(lock(b, lockPath, { timeoutMs: 300 }));
    await eventually(() => waiter.errors.length === 1, 'the waiter to give up');
    expect(waiter.errors[0]).toBeInstanceOf(LockTimeoutError);
    expect((waiter.errors[0] as Error).message).toBe(`lock ${lockPath}: not acquired within 300 ms; left the queue`);
    expect(waiter.values.map((s) => s.state)).toEqual(['waiting']);
    expect(await a.getChildren(lockPath)).toEqual(holderNodes);
  });

  it('a withLock that times out does not run its work', async () => {
    const [a, b] = await Promise.all([testClient(), testClient()]);
    const lockPath = `${await testRoot(a, 'lock')}/lock`;
    const holder = record(lock(a, lockPath));
    await eventually(() => holder.values.at(-1)?.state === 'acquired', 'a to hold the lock');
    let ran = false;
    await expect(
      lastValueFrom(
        withLock(b, lockPath, () => timer(1).pipe(map(() => (ran = true))), { timeoutMs: 200 }),
      ),
    ).rejects.toBeInstanceOf(LockTimeoutError);
    expect(ran).toBe(false);
  });
});

describe('lock and withLock when the client goes', () => {
  it('withLock errors with ClientClosedError when its client is closed while it waits', async () => {
    const holder = await testClient();
    const lockPath = `${await testRoot(holder, 'lock')}/lock`;
    const held = record(lock(holder, lockPath));
    await eventually(() => held.values.at(-1)?.state === 'acquired', 'the holder');
    const zk = await testClient();
    const outcome = lastValueFrom(withLock(zk, lockPath, () => timer(1))).then(
      () => 'completed',
      (e: unknown) => e,
    );
    await eventually(async () => (await holder.getChildren(lockPath)).length === 2, 'the waiter to queue');
    await zk.close();
    expect(await outcome).toBeInstanceOf(ClientClosedError);
    await eventually(async () => (await holder.getChildren(lockPath)).length === 1, "the closed client's node to go");
  });

  it('withLock, withReadLock and withWriteLock on a client already closed error with ClientClosedError', async () => {
    const zk = await testClient();
    await zk.close();
    let ran = false;
    const work = () => timer(1).pipe(map(() => (ran = true)));
    const outcomes = [
      withLock(zk, '/closed/lock', work),
      withReadLock(zk, '/closed/rw', work),
      withWriteLock(zk, '/closed/rw', work),
    ].map((run) => lastValueFrom(run).then(() => 'completed', (e: unknown) => e));
    for (const outcome of await Promise.all(outcomes)) expect(outcome).toBeInstanceOf(ClientClosedError);
    expect(ran).toBe(false);
  });

  it('a waiter whose lock node is deleted with its parent queues again', async () => {
    const [a, b] = await Promise.all([testClient(), testClient()]);
    const lockPath = `${await testRoot(a, 'lock')}/lock`;
    const first = record(lock(a, lockPath));
    await eventually(() => first.values.at(-1)?.state === 'acquired', 'a to hold');
    const second = record(lock(b, lockPath));
    await eventually(async () => (await a.getChildren(lockPath)).length === 2, 'b to queue');
    // An administrator removes the whole lock at once (participants rejoin right away, so a
    // recursive delete would race them).
    const tx = a.transaction();
    for (const child of await a.getChildren(lockPath)) tx.delete(`${lockPath}/${child}`);
    await tx.delete(lockPath).commit();
    // It may lose the lock and take it again between two polls: look at the whole history.
    await eventually(() => first.values.some((v) => v.state === 'lost'), 'a to learn it lost the lock');
    await eventually(() => [first, second].some((r) => r.values.at(-1)?.state === 'acquired'), 'someone to hold it again');
    // The waiter queued again too: both sessions have a node under the re-created lock.
    await eventually(async () => {
      const children = await a.getChildren(lockPath).catch(() => []);
      const owners = await Promise.all(children.map(async (child) => (await a.exists(`${lockPath}/${child}`))?.ephemeralOwner));
      return new Set(owners).size === 2 && owners.includes(b.sessionId!) && owners.includes(a.sessionId!);
    }, 'both participants to queue again');
    expect(first.errors.concat(second.errors)).toEqual([]);
  });
});
