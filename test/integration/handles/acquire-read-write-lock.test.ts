import { describe, expect, it } from 'vitest';
import { AbortError, acquireReadLock, acquireWriteLock, InvalidPathError, type ZkClient } from '../../../src/index.js';
import { eventually, testClient, testRoot } from '../../helpers/zk.js';

const queued = (zk: ZkClient, path: string, count: number) =>
  eventually(async () => (await zk.exists(path)) !== null && (await zk.getChildren(path)).length === count, `${count} in the queue`);

describe('acquireReadLock and acquireWriteLock', () => {
  it('readers hold together, a writer waits for them, and nothing is left after release', async () => {
    const [a, b, c, observer] = await Promise.all([testClient(), testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-rw')}/lock`;
    const [r1, r2] = await Promise.all([acquireReadLock(a, path), acquireReadLock(b, path)]);
    let writing = false;
    const writer = acquireWriteLock(c, path).then((lease) => ((writing = true), lease));
    await queued(observer, path, 3);
    expect(writing).toBe(false);
    await r1.release();
    expect(writing).toBe(false);
    await r2.release();
    const w = await writer;
    expect(w.fencingToken).toBeGreaterThan(r2.fencingToken);
    await w.release();
    expect(await observer.getChildren(path)).toEqual([]);
  });

  it('an aborted writer leaves the queue before rejecting, and readers behind it go ahead', async () => {
    const [a, b, c, observer] = await Promise.all([testClient(), testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-rw')}/lock`;
    const reader = await acquireReadLock(a, path);
    const controller = new AbortController();
    const writer = acquireWriteLock(b, path, { signal: controller.signal }).catch((error: unknown) => error);
    await queued(observer, path, 2);
    const lateReader = acquireReadLock(c, path);
    await queued(observer, path, 3);
    controller.abort();
    const error = await writer;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toBe(`acquireWriteLock ${path}: aborted while waiting; left the queue`);
    const late = await lateReader;
    expect(await observer.getChildren(path)).toHaveLength(2);
    await Promise.all([reader.release(), late.release()]);
    expect(await observer.getChildren(path)).toEqual([]);
  });

  it('refuses a bad path at the call', async () => {
    const zk = await testClient();
    expect(() => acquireReadLock(zk, '/locks//x')).toThrow(InvalidPathError);
    expect(() => acquireWriteLock(zk, '')).toThrow(InvalidPathError);
  });
});
