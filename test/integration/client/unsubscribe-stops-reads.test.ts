import type { Observable, Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ZkClient } from '../../../src/index.js';
import { lastRequestXid } from '../../helpers/server-stats.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

/**
 * The requests `zk` sends while `change` runs and for as long as its watch notifications can
 * cause reads: the server sends a notification before the reply to any later request of the
 * same session, so after one round trip every read it caused has been sent, and after a second
 * one it has been counted.
 */
async function requestsCausedBy(zk: ZkClient, change: () => Promise<void>): Promise<number> {
  const before = await lastRequestXid(sharedConnectString(), zk.sessionId!);
  await change();
  await zk.exists('/');
  await zk.exists('/');
  return (await lastRequestXid(sharedConnectString(), zk.sessionId!)) - before - 2;
}

async function subscribeAll<T>(streams: Observable<T>[], count: number): Promise<Subscription[]> {
  const recorded = streams.flatMap((s) => Array.from({ length: count }, () => record(s)));
  await eventually(() => recorded.every((r) => r.values.length > 0), 'every current value');
  return recorded.map((r) => r.subscription);
}

describe('unsubscribing the last subscriber', () => {
  it('stops every read for the path: later changes cost nothing', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(writer, 'unsubscribe');
    const path = `${root}/n`;
    await writer.create(path, 'v0');
    await writer.create(`${path}/child`);

    const subscriptions = await subscribeAll<unknown>(
      [zk.data$(path), zk.children$(path), zk.exists$(path), zk.tree$(path)],
      3,
    );
    // While subscribed, a change costs reads (so the count below can tell).
    expect(await requestsCausedBy(zk, async () => void (await writer.set(path, 'v1')))).toBeGreaterThan(0);

    for (const s of subscriptions) s.unsubscribe();
    const after = await requestsCausedBy(zk, async () => {
      await writer.set(path, 'v2');
      await writer.create(`${path}/another`);
      await writer.set(`${path}/child`, 'x');
      await writer.delete(`${path}/another`);
      await writer.delete(path, { recursive: true });
      await writer.create(path, 'v3');
    });
    expect(after).toBe(0);
  });

  it('keeps reading while any subscriber is left, and reads afresh for a new subscriber', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(writer, 'unsubscribe-some');
    const path = `${root}/n`;
    await writer.create(path, 'v0');
    const a = record(zk.data$(path));
    const b = record(zk.data$(path));
    await eventually(() => a.values.length === 1 && b.values.length === 1, 'both subscribers');

    a.subscription.unsubscribe();
    expect(await requestsCausedBy(zk, async () => void (await writer.set(path, 'v1')))).toBe(1);
    await eventually(() => b.values.at(-1)?.data.toString() === 'v1', 'the remaining subscriber sees v1');

    b.subscription.unsubscribe();
    expect(await requestsCausedBy(zk, async () => void (await writer.set(path, 'v2')))).toBe(0);

    const c = record(zk.data$(path));
    await eventually(() => c.values.length === 1, 'the new subscriber');
    expect(c.values[0]!.data.toString()).toBe('v2');
  });
});
