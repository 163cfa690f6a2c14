import { describe, expect, it } from 'vitest';
import { AbortError, acquireSemaphoreLease, InvalidArgumentError, SemaphoreTimeoutError, type ZkClient } from '../../../src/index.js';
import { eventually, testClient, testRoot } from '../../helpers/zk.js';

/** Every node of the semaphore at `path`: lock queue and leases. */
const nodes = async (zk: ZkClient, path: string) => {
  const list = async (p: string) => ((await zk.exists(p)) ? zk.getChildren(p) : []);
  return [...(await list(`${path}/locks`)), ...(await list(`${path}/leases`))];
};

describe('acquireSemaphoreLease', () => {
  it('grants at most `permits` leases; a waiter gets one when a holder releases; nothing is left after', async () => {
    const [a, b, c, observer] = await Promise.all([testClient(), testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-semaphore')}/db`;
    const [l1, l2] = await Promise.all([acquireSemaphoreLease(a, path, { permits: 2 }), acquireSemaphoreLease(b, path, { permits: 2 })]);
    expect(l1.fencingToken).not.toBe(l2.fencingToken);
    let third = false;
    const waiting = acquireSemaphoreLease(c, path, { permits: 2 }).then((lease) => ((third = true), lease));
    await eventually(async () => (await observer.exists(`${path}/locks`)) !== null && (await observer.getChildren(`${path}/locks`)).length === 1, 'the third in line');
    expect(third).toBe(false);
    await l1.release();
    const l3 = await waiting;
    await Promise.all([l2.release(), l3.release()]);
    expect(await nodes(observer, path)).toEqual([]);
  });

  it('an aborted wait removes its nodes before rejecting; timeoutMs rejects with SemaphoreTimeoutError', async () => {
    const [a, b, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'acquire-semaphore')}/db`;
    const holder = await acquireSemaphoreLease(a, path, { permits: 1 });
    const controller = new AbortController();
    const waiting = acquireSemaphoreLease(b, path, { permits: 1, signal: controller.signal }).catch((error: unknown) => error);
    await eventually(async () => (await nodes(observer, path)).length === 2, 'the waiter queued');
    controller.abort();
    expect(await waiting).toBeInstanceOf(AbortError);
    expect(await nodes(observer, path)).toHaveLength(1);
    await expect(acquireSemaphoreLease(b, path, { permits: 1, timeoutMs: 300 })).rejects.toBeInstanceOf(SemaphoreTimeoutError);
    expect(await nodes(observer, path)).toHaveLength(1);
    await holder.release();
    expect(await nodes(observer, path)).toEqual([]);
  });

  it('refuses bad permits at the call', async () => {
    const zk = await testClient();
    expect(() => acquireSemaphoreLease(zk, '/semaphores/x', { permits: 0 })).toThrow(
      new InvalidArgumentError('acquireSemaphoreLease /semaphores/x: permits must be an integer >= 1, got 0'),
    );
  });
});
