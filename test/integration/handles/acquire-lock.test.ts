import { lastValueFrom } from 'rxjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  AbortError,
  acquireLock,
  ClientClosedError,
  InvalidArgumentError,
  InvalidPathError,
  lock,
  LockLostError,
  LockTimeoutError,
  withLock,
  type Lease,
  type ZkClient,
} from '../../../src/index.js';
import { expireSession, faultProxy } from '../../../src/testing/index.js';
import { eventually, nextMatching, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

/** Resolves once `path` has `count` children (queued participants). */
const queued = (zk: ZkClient, path: string, count: number) =>
  eventually(async () => (await zk.exists(path)) !== null && (await zk.getChildren(path)).length === count, `${count} in the queue`);

/** Settles a promise into what it gave, for assertions after the fact. */
const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }) as const,
    (error: unknown) => ({ error }) as const,
  );

describe('acquireLock', () => {
  it('resolves once held, serves waiters in order with growing tokens, and leaves nothing after release', async () => {
    const [a, b, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    const first = await acquireLock(a, path);
    let secondHeld = false;
    const second = acquireLock(b, path).then((lease) => ((secondHeld = true), lease));
    await queued(observer, path, 2);
    expect(secondHeld).toBe(false);
    expect(first.signal.aborted).toBe(false);

    await first.release();
    expect(first.released).toBe(true);
    const next = await second;
    expect(next.fencingToken).toBeGreaterThan(first.fencingToken);
    expect(await observer.getChildren(path)).toHaveLength(1);
    await next.release();
    expect(await observer.getChildren(path)).toEqual([]);
    // Releasing again is harmless and resolves the same way.
    await next.release();
  });

  it('excludes lock() and withLock() on the same path, and they exclude it', async () => {
    const [a, b, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    const lease = await acquireLock(a, path);
    const stream = record(lock(b, path));
    const ran: string[] = [];
    const work = lastValueFrom(withLock(b, path, () => ran.push('withLock')));
    await queued(observer, path, 3);
    expect(stream.values.map((s) => s.state)).toEqual(['waiting']);
    expect(ran).toEqual([]);
    await lease.release();
    await eventually(() => stream.values.some((s) => s.state === 'acquired'), 'the lock stream to acquire');
    stream.subscription.unsubscribe();
    await work;
    expect(ran).toEqual(['withLock']);
    await eventually(async () => (await observer.getChildren(path)).length === 0, 'every node gone');
  });

  it('an aborted wait leaves the queue first, then rejects with AbortError carrying the reason', async () => {
    const [a, b, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    const holder = await acquireLock(a, path);
    const controller = new AbortController();
    const waiting = settle(acquireLock(b, path, { signal: controller.signal }));
    await queued(observer, path, 2);
    const reason = new Error('shutting down');
    controller.abort(reason);
    const outcome = await waiting;
    expect('error' in outcome && outcome.error).toBeInstanceOf(AbortError);
    const error = (outcome as { error: AbortError }).error;
    expect(error.message).toBe(`acquireLock ${path}: aborted while waiting; left the queue`);
    expect(error.cause).toBe(reason);
    expect(error.path).toBe(path);
    // Already gone when the promise rejected: only the holder's node is left.
    expect(await observer.getChildren(path)).toHaveLength(1);
    await holder.release();
    expect(await observer.getChildren(path)).toEqual([]);
  });

  it('a signal aborted before the call rejects without touching the server', async () => {
    const [zk, observer] = await Promise.all([testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    await expect(acquireLock(zk, path, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(await observer.exists(path)).toBeNull();
  });

  it('aborting after the lease is held does nothing: the lease is released by release()', async () => {
    const [zk, observer] = await Promise.all([testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    const controller = new AbortController();
    const lease = await acquireLock(zk, path, { signal: controller.signal });
    controller.abort();
    expect(lease.signal.aborted).toBe(false);
    expect(await observer.getChildren(path)).toHaveLength(1);
    await lease.release();
    expect(await observer.getChildren(path)).toEqual([]);
  });

  it('with timeoutMs, rejects with LockTimeoutError after leaving the queue', async () => {
    const [a, b, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    const holder = await acquireLock(a, path);
    await expect(acquireLock(b, path, { timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
    expect(await observer.getChildren(path)).toHaveLength(1);
    await holder.release();
  });

  it('await using releases at the end of the block', async () => {
    const [zk, observer] = await Promise.all([testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    {
      await using lease = await acquireLock(zk, path);
      expect(lease.fencingToken).toBeTypeOf('bigint');
      expect(await observer.getChildren(path)).toHaveLength(1);
    }
    expect(await observer.getChildren(path)).toEqual([]);
  });

  it('is not re-entrant: the same client acquiring again queues behind itself', async () => {
    const [zk, observer] = await Promise.all([testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    const outer = await acquireLock(zk, path);
    await expect(acquireLock(zk, path, { timeoutMs: 300 })).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(lastValueFrom(withLock(zk, path, () => 'inner', { timeoutMs: 300 }))).rejects.toBeInstanceOf(LockTimeoutError);
    expect(outer.signal.aborted).toBe(false);
    await outer.release();
    expect(await observer.getChildren(path)).toEqual([]);
  });

  it('a lease whose node is deleted by someone else is lost: its signal aborts with LockLostError, and nothing is left', async () => {
    const [zk, observer] = await Promise.all([testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    const lease = await acquireLock(zk, path);
    const [node] = await observer.getChildren(path);
    const aborted = new Promise<unknown>((resolve) => lease.signal.addEventListener('abort', () => resolve(lease.signal.reason)));
    await observer.delete(`${path}/${node!}`);
    const reason = await aborted;
    expect(reason).toBeInstanceOf(LockLostError);
    expect((reason as LockLostError).message).toBe(
      `acquireLock ${path}: lost (connection suspended, session lost, or node deleted); released`,
    );
    await lease.release();
    expect(lease.released).toBe(true);
    // It did not queue again on its own.
    expect(await observer.getChildren(path)).toEqual([]);
  });

  it('a holder whose connection is suspended loses the lease at once, and its node goes once the connection is back', async () => {
    const proxy = await faultProxy(sharedConnectString());
    onTestFinished(() => proxy.close());
    const [zk, observer] = await Promise.all([testClient({ connectString: proxy.connectString }), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    const lease: Lease = await acquireLock(zk, path);
    const aborted = new Promise<unknown>((resolve) => lease.signal.addEventListener('abort', () => resolve(lease.signal.reason)));
    await proxy.refuse();
    await nextMatching(zk.state$, (s) => s === 'suspended', 'suspended');
    expect(await aborted).toBeInstanceOf(LockLostError);
    // The lock is free for others once the old holder's node is gone, never while it may act.
    await proxy.restore();
    await lease.release();
    await eventually(async () => (await observer.getChildren(path)).length === 0, 'the lost holder node gone');
  });

  it('a holder whose session expires loses the lease; release() resolves and the next waiter gets the lock', async () => {
    const [zk, b, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    const lease = await acquireLock(zk, path);
    const next = acquireLock(b, path);
    await queued(observer, path, 2);
    await expireSession(zk);
    await nextMatching(zk.state$, (s) => s === 'connected', 'a new session');
    expect(lease.signal.reason).toBeInstanceOf(LockLostError);
    await lease.release();
    const nextLease = await next;
    expect(nextLease.fencingToken).toBeGreaterThan(lease.fencingToken);
    await nextLease.release();
    expect(await observer.getChildren(path)).toEqual([]);
  });

  it('a lease of a closed client is lost (the cause says so); a waiter of a closed client rejects', async () => {
    const [a, b, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-lock')}/lock`;
    const lease = await acquireLock(a, path);
    const waiting = settle(acquireLock(b, path));
    await queued(observer, path, 2);
    await b.close();
    const outcome = await waiting;
    expect('error' in outcome && outcome.error).toBeInstanceOf(ClientClosedError);
    await a.close();
    expect(lease.signal.aborted).toBe(true);
    expect(lease.signal.reason).toBeInstanceOf(LockLostError);
    expect((lease.signal.reason as LockLostError).cause).toBeInstanceOf(ClientClosedError);
    await lease.release();
    await eventually(async () => (await observer.getChildren(path)).length === 0, 'both sessions gone');
  });

  it('refuses bad input at the call', async () => {
    const zk = await testClient();
    expect(() => acquireLock(zk, 'locks/x')).toThrow(InvalidPathError);
    expect(() => acquireLock(zk, '/locks/x', { timeoutMs: -1 })).toThrow(
      new InvalidArgumentError('acquireLock: timeoutMs must be a number of milliseconds >= 0, got -1'),
    );
    expect(() => acquireLock(zk, '/locks/x', { signal: 'stop' as never })).toThrow(
      new InvalidArgumentError('acquireLock: signal must be an AbortSignal, got "stop"'),
    );
  });
});
