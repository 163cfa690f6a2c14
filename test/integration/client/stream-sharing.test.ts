import type { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ZkClient } from '../../../src/index.js';
import { lastRequestXid } from '../../helpers/server-stats.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

const CHANGES = 5;
const SUBSCRIBERS = 8;

/** How many requests `zk` sends while `during` runs (read from the server). */
async function requestsDuring(zk: ZkClient, during: () => Promise<void>): Promise<number> {
  const before = await lastRequestXid(sharedConnectString(), zk.sessionId!);
  await during();
  return (await lastRequestXid(sharedConnectString(), zk.sessionId!)) - before;
}

/**
 * Subscribes `count` times to `stream(zk)` (a new call each time), waits for the current value,
 * then counts the requests `zk` makes while `change(i)` is applied `CHANGES` times, waiting each
 * time until every subscriber saw `seen(value, i)`.
 */
async function readsForChanges<T>(
  zk: ZkClient,
  count: number,
  stream: (zk: ZkClient) => Observable<T>,
  change: (i: number) => Promise<unknown>,
  seen: (value: T, i: number) => boolean,
): Promise<number> {
  const subscribers = Array.from({ length: count }, () => record(stream(zk)));
  await eventually(() => subscribers.every((s) => s.values.length > 0), 'every subscriber to get the current value');
  return requestsDuring(zk, async () => {
    for (let i = 0; i < CHANGES; i++) {
      await change(i);
      await eventually(
        () => subscribers.every((s) => s.values.length > 0 && seen(s.values.at(-1)!, i)),
        `change ${i} at every subscriber`,
      );
    }
  });
}

describe('sharing one stream among many subscribers', () => {
  it('data$: N subscribers cost one read per change, as one subscriber does', async () => {
    const writer = await testClient();
    const root = await testRoot(writer, 'sharing-data');
    await writer.create(`${root}/n`, 'initial');
    const one = await testClient();
    const many = await testClient();
    const run = (zk: ZkClient, count: number, tag: string) =>
      readsForChanges(
        zk,
        count,
        (c) => c.data$(`${root}/n`),
        (i) => writer.set(`${root}/n`, `${tag}${i}`),
        (node, i) => node?.data.toString() === `${tag}${i}`,
      );

    const single = await run(one, 1, 'one-');
    const shared = await run(many, SUBSCRIBERS, 'many-');
    expect(single).toBe(CHANGES);
    expect(shared).toBe(single);
  });

  it('children$: N subscribers cost one read per change, as one subscriber does', async () => {
    const writer = await testClient();
    const root = await testRoot(writer, 'sharing-children');
    const one = await testClient();
    const many = await testClient();
    const run = (zk: ZkClient, count: number, tag: string) =>
      readsForChanges(
        zk,
        count,
        (c) => c.children$(root),
        (i) => writer.create(`${root}/${tag}${i}`),
        (children, i) => children?.includes(`${tag}${i}`) === true,
      );

    const single = await run(one, 1, 'one-');
    const shared = await run(many, SUBSCRIBERS, 'many-');
    expect(single).toBe(CHANGES);
    expect(shared).toBe(single);
  });

  it('a late subscriber gets the current value at once, without a read', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'sharing-late');
    await zk.create(`${root}/n`, 'current');
    const first = record(zk.data$(`${root}/n`));
    await eventually(() => first.values.length === 1, 'the first subscriber');
    let late: ReturnType<typeof record> | undefined;
    const requests = await requestsDuring(zk, async () => {
      late = record(zk.data$(`${root}/n`));
      expect(late.values).toHaveLength(1); // replayed synchronously
      await zk.exists('/'); // a round trip, so that a read, had one been sent, is counted
    });
    expect(requests).toBe(1);
    expect(late!.values[0]).toBe(first.values[0]);
  });
});
