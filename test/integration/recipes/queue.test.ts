import { firstValueFrom, NEVER, of, timeout } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { queue, QueueClaimLostError, type QueueItem } from '../../../src/index.js';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

const text = (item: QueueItem) => item.data.toString();
const take = (q: ReturnType<typeof queue>) => firstValueFrom(q.take$().pipe(timeout(20_000)));

describe('queue', () => {
  it('delivers in priority order, then in the order of offers', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'queue-order');
    const q = queue(zk, `${root}/q`);
    await q.offer('a');
    await q.offer('b');
    await q.offer('urgent', { priority: -1 });
    await q.offer('later', { priority: 5 });
    await q.offer('c');
    const taken: string[] = [];
    for (let i = 0; i < 5; i++) {
      const item = await take(q);
      taken.push(text(item));
      await item.ack();
    }
    expect(taken).toEqual(['urgent', 'a', 'b', 'c', 'later']);
    expect(await zk.getChildren(`${root}/q/items`)).toEqual([]);
    expect(await zk.getChildren(`${root}/q/claims`)).toEqual([]);
  });

  it('gives each item to exactly one of several consumers, and waits for items offered later', async () => {
    const producer = await testClient();
    const root = await testRoot(producer, 'queue-consumers');
    const path = `${root}/q`;
    const consumers = await Promise.all([testClient(), testClient(), testClient()]);
    const seen = consumers.map((zk) => record(queue(zk, path).process$((item) => of(text(item)))));
    const offered = Array.from({ length: 12 }, (_, i) => `job-${i}`);
    for (const job of offered) await queue(producer, path).offer(job);
    await eventually(() => seen.reduce((n, s) => n + s.values.length, 0) >= offered.length, 'every job processed');
    const processed = seen.flatMap((s) => s.values);
    expect([...processed].sort()).toEqual([...offered].sort());
    expect(seen.every((s) => s.errors.length === 0)).toBe(true);
    await eventually(async () => (await producer.getChildren(`${path}/items`)).length === 0, 'the queue to empty');
  });

  it('gives an item back to the queue when its consumer dies before acknowledging', async () => {
    const producer = await testClient();
    const root = await testRoot(producer, 'queue-crash');
    const path = `${root}/q`;
    const doomed = await testClient();
    const started: string[] = [];
    record(
      queue(doomed, path).process$((item) => {
        started.push(text(item));
        return NEVER; // dies before it is done
      }),
    );
    await queue(producer, path).offer('precious');
    await eventually(() => started.length === 1, 'the first consumer to claim the item');
    expect((await producer.getChildren(`${path}/claims`)).length).toBe(1);

    const survivor = await testClient();
    const done = record(queue(survivor, path).process$((item) => of(text(item))));
    // The item is claimed: the second consumer must not get it while the first lives.
    const other = await queue(producer, path).offer('other');
    await eventually(() => done.values.includes('other'), 'the second consumer to process the other item');
    expect(done.values).toEqual(['other']);
    expect(other).toMatch(/\/items\/_c_/);

    await doomed.close();
    await eventually(() => done.values.includes('precious'), 'the item to be delivered again');
    expect(done.values).toEqual(['other', 'precious']);
    await eventually(async () => (await producer.getChildren(`${path}/items`)).length === 0, 'the queue to empty');
  });

  it('take$ leaves nothing claimed when unsubscribed before an item came; release gives an item back', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'queue-release');
    const q = queue(zk, `${root}/q`);
    const waiting = record(q.take$());
    waiting.subscription.unsubscribe();
    await q.offer('x');
    const other = await testClient();
    const item = await take(queue(other, `${root}/q`));
    expect(text(item)).toBe('x');
    expect(waiting.values).toEqual([]);

    await item.release();
    const again = await take(q);
    expect(text(again)).toBe('x');
    await again.ack();
    await expect(again.ack()).resolves.toBeUndefined();
    await again.release(); // after an acknowledgement: nothing to give back
    expect(await zk.getChildren(`${root}/q/items`)).toEqual([]);
    await expect(item.ack()).rejects.toBeInstanceOf(QueueClaimLostError);
  });

  it('releases the item and errors when the work fails', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'queue-work-error');
    const q = queue(zk, `${root}/q`);
    await q.offer('poison');
    const failing = record(
      q.process$(() => {
        throw new Error('cannot handle it');
      }),
    );
    await eventually(() => failing.errors.length === 1, 'the stream to error');
    expect((failing.errors[0] as Error).message).toBe('cannot handle it');
    const item = await take(q);
    expect(text(item)).toBe('poison');
  });

  it('refuses bad arguments at the call site', async () => {
    const zk = await testClient();
    expect(() => queue(zk, 'jobs')).toThrow(/invalid path "jobs"/);
    const q = queue(zk, '/jobs');
    expect(() => q.offer('x', { priority: 1.5 })).toThrow('queue /jobs: offer: priority must be a safe integer, got 1.5');
    expect(() => q.offer(42 as unknown as string)).toThrow(/queue \/jobs: offer: data must be/);
    expect(() => q.process$(() => of(1), { concurrency: 0 })).toThrow(/concurrency must be an integer >= 1, got 0/);
  });
});
