// Queue, group, counter, configuration and two-phase commit under lost replies and lost sessions,
// on a server of this file's own.
import { randomUUID } from 'node:crypto';
import { firstValueFrom, Observable, Subject, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  config,
  counter,
  group,
  queue,
  QueueClaimLostError,
  twoPhaseCommit,
  type QueueItem,
  type Vote,
  type ZkClient,
} from '../../../src/index.js';
import { expireSession, faultProxy, startZooKeeper, type FaultProxy, type TestingZooKeeper } from '../../../src/testing/index.js';
import { eventually, record, testClient } from '../../helpers/zk.js';

let server: TestingZooKeeper;

beforeAll(async () => {
  server = await startZooKeeper({ source: 'local' });
});

afterAll(async () => {
  await server?.stop();
});

/** A client of this file's server (closed when the test ends). */
const client = (connectString = server.connectString) => testClient({ connectString });

/** A unique root on this file's server (the server goes with the file). */
async function root(zk: ZkClient, name: string): Promise<string> {
  const path = `/faults/${name}-${randomUUID()}`;
  await zk.create(path, null, { parents: true });
  return path;
}

/** A proxy of its own, so that a lost reply can only be this client's. */
async function proxied(): Promise<{ zk: ZkClient; proxy: FaultProxy }> {
  const proxy = await faultProxy(server.connectString);
  const zk = await client(proxy.connectString);
  return { zk, proxy };
}

const take = (zk: ZkClient, path: string) => firstValueFrom(queue(zk, path).take$().pipe(timeout(20_000)));

describe('queue under faults', () => {
  it('an offer whose reply is lost makes exactly one item', async () => {
    const { zk, proxy } = await proxied();
    try {
      const path = `${await root(zk, 'queue-offer')}/q`;
      const q = queue(zk, path);
      await q.offer('first');
      const lost = proxy.loseNextReply('create');
      const offered = await q.offer('second');
      await lost;
      expect(await zk.getChildren(`${path}/items`)).toHaveLength(2);
      expect(offered).toMatch(/\/items\/_c_/);
      expect((await zk.get(offered)).data.toString()).toBe('second');
    } finally {
      await proxy.close();
    }
  });

  it('an acknowledgement whose reply is lost is confirmed, not repeated, and the item is not delivered again', async () => {
    const { zk, proxy } = await proxied();
    try {
      const path = `${await root(zk, 'queue-ack')}/q`;
      await queue(zk, path).offer('once');
      const item = await take(zk, path);
      const lost = proxy.loseNextReply('multi');
      await item.ack();
      await lost;
      expect(await zk.getChildren(`${path}/items`)).toEqual([]);
      expect(await zk.getChildren(`${path}/claims`)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('an item taken by a consumer whose session is lost before it acknowledges goes to another consumer', async () => {
    const [producer, doomed, other] = await Promise.all([client(), client(), client()]);
    const path = `${await root(producer, 'queue-expiry')}/q`;
    await queue(producer, path).offer('precious');
    const item: QueueItem = await take(doomed, path);
    const waiting = record(queue(other, path).take$());
    await expireSession(doomed);
    await eventually(() => waiting.values.length === 1, 'the other consumer to get the item');
    expect(waiting.values[0]!.data.toString()).toBe('precious');
    await expect(item.ack()).rejects.toBeInstanceOf(QueueClaimLostError);
    await waiting.values[0]!.ack();
    expect(await producer.getChildren(`${path}/items`)).toEqual([]);
  });

  it('process$ stops the work when its session goes, and the item is delivered again', async () => {
    const [producer, consumer] = await Promise.all([client(), client()]);
    const path = `${await root(producer, 'queue-process-expiry')}/q`;
    const runs: { session: string | null; stopped: boolean }[] = [];
    const working = record(
      queue(consumer, path).process$(
        (item) =>
          new Observable<string>((subscriber) => {
            const run = { session: consumer.sessionId, stopped: false };
            runs.push(run);
            // Runs on the first session never finish (the client may reconnect to it before the
            // server ends it, and then works on the item again); the one on a new session does.
            if (run.session !== runs[0]!.session) {
              subscriber.next(item.data.toString());
              subscriber.complete();
            }
            return () => {
              run.stopped = true;
            };
          }),
      ),
    );
    await queue(producer, path).offer('job');
    await eventually(() => runs.length === 1, 'the first run');
    const firstSession = consumer.sessionId;
    await expireSession(consumer);
    await eventually(() => runs.some((run) => run.session !== firstSession), 'the item to be delivered again on a new session');
    expect(runs.filter((run) => run.session === firstSession).every((run) => run.stopped)).toBe(true);
    await eventually(() => working.values.includes('job'), 'the run on the new session to finish');
    await eventually(async () => (await producer.getChildren(`${path}/items`)).length === 0, 'the queue to empty');
    expect(working.errors).toEqual([]);
  });
});

describe('counter and config under faults', () => {
  it('a counter write whose reply is lost is not added twice', async () => {
    const { zk, proxy } = await proxied();
    try {
      const path = `${await root(zk, 'counter-lost')}/hits`;
      const hits = counter(zk, path);
      expect(await hits.add(5)).toBe(5);
      const lost = proxy.loseNextReply('setData');
      expect(await hits.add(1)).toBe(6);
      await lost;
      expect(await hits.get()).toBe(6);
      const other = await client();
      expect(await counter(other, path).add(1)).toBe(7);
    } finally {
      await proxy.close();
    }
  });

  it('a configuration update whose reply is lost is applied once', async () => {
    const { zk, proxy } = await proxied();
    try {
      const path = `${await root(zk, 'config-lost')}/limits`;
      const limits = config<{ burst: number }>(zk, path, { defaults: { burst: 0 } });
      await limits.update((c) => ({ burst: c.burst + 1 }));
      const lost = proxy.loseNextReply('setData');
      expect(await limits.update((c) => ({ burst: c.burst + 1 }))).toEqual({ burst: 2 });
      await lost;
      expect(await limits.get()).toEqual({ burst: 2 });
      expect((await zk.exists(path))?.version).toBe(2); // created with the defaults, then two updates
    } finally {
      await proxy.close();
    }
  });
});

describe('group and two-phase commit under lost sessions', () => {
  it('a member whose session is lost joins again on its new session', async () => {
    const [a, b] = await Promise.all([client(), client()]);
    const path = `${await root(a, 'group-expiry')}/members`;
    const seenByB = record(group(b, path, { id: 'b' }));
    record(group(a, path, { id: 'a', data: { zone: 'eu' } }));
    await eventually(() => seenByB.values.at(-1)?.length === 2, 'both members');
    const before = a.sessionId;
    await expireSession(a);
    await eventually(
      async () => a.sessionId !== before && (await b.exists(`${path}/a`))?.ephemeralOwner === a.sessionId,
      'the member to join again on its new session',
    );
    await eventually(() => seenByB.values.at(-1)?.map((m) => m.id).join() === 'a,b', 'both members again');
    expect(seenByB.values.at(-1)?.[0]?.data).toEqual({ zone: 'eu' });
  });

  it('a participant whose session is lost before it votes still votes and learns the decision', async () => {
    const [coordinator, a, b] = await Promise.all([client(), client(), client()]);
    const path = `${await root(coordinator, 'tpc-expiry')}/tx`;
    const coordinated = record(twoPhaseCommit(coordinator, path).coordinate$({ participants: ['db', 'mail'], timeoutMs: 60_000 }));
    await eventually(() => coordinated.values.length > 0, 'the proposal');
    const txId = coordinated.values[0]!.txId;
    const ready = new Subject<Vote>();
    const slow = record(twoPhaseCommit(a, path).participate$(txId, { id: 'db', vote: () => ready }));
    const quick = record(twoPhaseCommit(b, path).participate$(txId, { id: 'mail', vote: 'commit' }));
    await eventually(() => slow.values.length === 1, 'the slow participant to prepare');
    const before = a.sessionId;
    await expireSession(a);
    await eventually(() => a.state === 'connected' && a.sessionId !== before, 'a new session');
    ready.next('commit');
    await eventually(() => coordinated.completed() && slow.completed() && quick.completed(), 'everyone to learn the decision');
    expect(coordinated.values.at(-1)).toMatchObject({ state: 'decided', decision: 'commit', reason: 'unanimous' });
    expect(slow.values.map((s) => s.state)).toEqual(['preparing', 'voted', 'decided']);
  });
});
