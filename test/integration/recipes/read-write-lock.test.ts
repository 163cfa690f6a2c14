import { defer, finalize, lastValueFrom, tap, timer, toArray, type Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  ClientClosedError,
  connect,
  InvalidArgumentError,
  InvalidPathError,
  LockTimeoutError,
  readWriteLock,
  withLock,
  withReadLock,
  withWriteLock,
  type LockState,
  type ZkClient,
} from '../../../src/index.js';
import { expireSession, faultProxy } from '../../../src/testing/index.js';
import { readWriteDetector } from '../../helpers/overlap.js';
import { watchersOf } from '../../helpers/watches.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

const state = (r: { values: LockState[] }) => r.values.at(-1)?.state;

/** Records a participant's states and reports its holding to the detector. */
function follow(detector: ReturnType<typeof readWriteDetector>, who: string, kind: 'read' | 'write', states: Observable<LockState>) {
  return record(states.pipe(tap(detector.follow<LockState>(who, kind)), finalize(() => detector.leave(who))));
}

describe('readWriteLock', () => {
  const clients: ZkClient[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 4; i++) clients.push(connect(sharedConnectString(), { sessionTimeoutMs: 6_000 }));
    await Promise.all(clients.map((zk) => zk.ready({ timeoutMs: 20_000 })));
  });
  afterAll(() => Promise.all(clients.map((zk) => zk.close())));

  /** How many queue nodes the lock has (to know a participant has joined). */
  const queueLength = async (path: string) => (await clients[0]!.getChildren(path).catch(() => [])).length;

  it('readers share; a writer waits for them and holds alone; a later reader queues behind the writer', async () => {
    const [a, b, c, d] = clients as [ZkClient, ZkClient, ZkClient, ZkClient];
    const path = `${await testRoot(a, 'rw-fifo')}/lock`;
    const detector = readWriteDetector();
    const r1 = follow(detector, 'r1', 'read', readWriteLock(a, path).read$());
    const r2 = follow(detector, 'r2', 'read', readWriteLock(b, path).read$());
    await eventually(() => state(r1) === 'acquired' && state(r2) === 'acquired', 'both readers to hold at once');
    expect(detector.most.get('read')).toBe(2);

    const w = follow(detector, 'w', 'write', readWriteLock(c, path).write$());
    await eventually(async () => (await queueLength(path)) === 3, 'the writer to queue');
    const r3 = follow(detector, 'r3', 'read', readWriteLock(d, path).read$());
    await eventually(async () => (await queueLength(path)) === 4, 'the late reader to queue');
    // The late reader waits on the writer (never on a reader): proof it evaluated and queued.
    await eventually(async () => (await watchersOf(sharedConnectString(), writerNode(await a.getChildren(path), path))).has(d.sessionId!), 'the late reader to wait on the writer');
    expect(state(w)).toBe('waiting');
    expect(state(r3)).toBe('waiting');

    r1.subscription.unsubscribe();
    r2.subscription.unsubscribe();
    await eventually(() => state(w) === 'acquired', 'the writer to hold');
    expect(state(r3)).toBe('waiting');
    w.subscription.unsubscribe();
    await eventually(() => state(r3) === 'acquired', 'the late reader to hold');
    r3.subscription.unsubscribe();
    await eventually(async () => (await queueLength(path)) === 0, 'every node to be gone');
    expect(detector.violations).toEqual([]);
  });

  it('a reader whose writer ahead leaves waits on the next writer ahead, then holds (no deadlock)', async () => {
    const [a, b, c] = clients as [ZkClient, ZkClient, ZkClient];
    const path = `${await testRoot(a, 'rw-kazoo')}/lock`;
    const detector = readWriteDetector();
    const w0 = follow(detector, 'w0', 'write', readWriteLock(a, path).write$());
    await eventually(() => state(w0) === 'acquired', 'the first writer to hold');
    const w1 = follow(detector, 'w1', 'write', readWriteLock(b, path).write$());
    await eventually(async () => (await queueLength(path)) === 2, 'the second writer to queue');
    const r2 = follow(detector, 'r2', 'read', readWriteLock(c, path).read$());
    await eventually(async () => (await queueLength(path)) === 3, 'the reader to queue');
    const names = await a.getChildren(path);
    const [first, second] = writerNodes(names, path);
    await eventually(async () => (await watchersOf(sharedConnectString(), second!)).has(c.sessionId!), 'the reader to wait on the nearest writer');

    w1.subscription.unsubscribe(); // the writer just ahead of the readers leaves while the first still holds
    await eventually(async () => (await watchersOf(sharedConnectString(), first!)).has(c.sessionId!), 'the reader to wait on the next writer ahead');
    expect(state(r2)).toBe('waiting');

    w0.subscription.unsubscribe();
    await eventually(() => state(r2) === 'acquired', 'the reader to hold once no writer is ahead');
    r2.subscription.unsubscribe();
    expect(detector.order).toEqual(['w0', 'r2']);
    expect(detector.violations).toEqual([]);
  });

  it('withReadLock, withWriteLock and withLock never let a writer overlap anyone', async () => {
    const path = `${await testRoot(clients[0]!, 'rw-stress')}/lock`;
    const detector = readWriteDetector();
    const run = (zk: ZkClient, who: string, kind: 'read' | 'write' | 'lock') => {
      const work = () =>
        defer(async () => {
          detector.enter(who, kind === 'read' ? 'read' : 'write');
          await lastValueFrom(timer(5 + Math.floor(Math.random() * 10)));
          detector.leave(who);
          return who;
        });
      if (kind === 'read') return withReadLock(zk, path, work);
      if (kind === 'write') return withWriteLock(zk, path, work);
      return withLock(zk, path, work);
    };
    const kinds = ['read', 'write', 'read', 'lock', 'read'] as const;
    const done = await Promise.all(
      clients.map(async (zk, i) => {
        const out: string[] = [];
        for (let round = 0; round < 5; round++) {
          const kind = kinds[(i + round) % kinds.length]!;
          out.push(...(await lastValueFrom(run(zk, `c${i}-${round}`, kind).pipe(toArray()))));
        }
        return out;
      }),
    );
    expect(done.flat()).toHaveLength(20);
    expect(detector.violations).toEqual([]);
    expect(await clients[0]!.getChildren(path)).toEqual([]);
  });

  it('a waiting writer that times out leaves the queue and errors with LockTimeoutError', async () => {
    const [a, b] = clients as [ZkClient, ZkClient];
    const path = `${await testRoot(a, 'rw-timeout')}/lock`;
    const reader = record(readWriteLock(a, path).read$());
    await eventually(() => state(reader) === 'acquired', 'the reader to hold');
    const writer = record(readWriteLock(b, path).write$({ timeoutMs: 300 }));
    await eventually(() => writer.errors.length === 1, 'the writer to give up');
    expect(writer.errors[0]).toBeInstanceOf(LockTimeoutError);
    expect((writer.errors[0] as Error).message).toBe(`write lock ${path}: not acquired within 300 ms; left the queue`);
    expect(await a.getChildren(path)).toHaveLength(1);
  });

  it('a writer that crashes while holding hands the lock on, and its stream says lost first', async () => {
    const holderClient = await testClient();
    const path = `${await testRoot(clients[0]!, 'rw-crash-holding')}/lock`;
    const detector = readWriteDetector();
    const writer = follow(detector, 'writer', 'write', readWriteLock(holderClient, path).write$());
    await eventually(() => state(writer) === 'acquired', 'the writer to hold');
    const reader = follow(detector, 'reader', 'read', readWriteLock(clients[1]!, path).read$());
    await eventually(async () => (await queueLength(path)) === 2, 'the reader to queue');

    await expireSession(holderClient);
    await eventually(() => state(reader) === 'acquired', 'the reader to hold after the writer is gone');
    // The crashed writer said 'lost' before the reader could hold (else the detector objects).
    expect(writer.values.map((v) => v.state).slice(0, 3)).toEqual(['waiting', 'acquired', 'lost']);
    expect(detector.violations).toEqual([]);
  });

  it('a writer that crashes while waiting does not block the readers behind it', async () => {
    const waiterClient = await testClient();
    const [a, b] = clients as [ZkClient, ZkClient];
    const path = `${await testRoot(a, 'rw-crash-waiting')}/lock`;
    const r0 = record(readWriteLock(a, path).read$());
    await eventually(() => state(r0) === 'acquired', 'the first reader to hold');
    record(readWriteLock(waiterClient, path).write$());
    await eventually(async () => (await queueLength(path)) === 2, 'the writer to queue');
    const r2 = record(readWriteLock(b, path).read$());
    await eventually(async () => (await queueLength(path)) === 3, 'the second reader to queue');
    await waiterClient.close();
    await eventually(() => state(r2) === 'acquired', 'the second reader to share the lock with the first');
    expect(state(r0)).toBe('acquired');
  });

  it('a suspended reader says lost at once and holds the same node again after reconnecting', async () => {
    const proxy = await faultProxy(sharedConnectString());
    onTestFinished(() => proxy.close());
    const zk = await testClient({ connectString: proxy.connectString });
    const path = `${await testRoot(clients[0]!, 'rw-suspended')}/lock`;
    const reader = record(readWriteLock(zk, path).read$());
    await eventually(() => state(reader) === 'acquired', 'the reader to hold');
    const token = reader.values.at(-1)!.fencingToken;
    const writer = record(readWriteLock(clients[1]!, path).write$());
    await eventually(async () => (await queueLength(path)) === 2, 'the writer to queue');

    await proxy.drop();
    await eventually(() => state(reader) === 'lost', 'the suspended reader to say lost');
    await proxy.restore();
    await eventually(() => state(reader) === 'acquired', 'the reader to hold again');
    expect(reader.values.map((v) => [v.state, v.fencingToken])).toEqual([
      ['waiting', undefined],
      ['acquired', token],
      ['lost', undefined],
      ['acquired', token],
    ]);
    expect(state(writer)).toBe('waiting'); // the reader's session survived: its node still counts
    reader.subscription.unsubscribe();
    await eventually(() => state(writer) === 'acquired', 'the writer to hold once the reader leaves');
  });

  it('withWriteLock errors with ClientClosedError when its client closes while it waits', async () => {
    const waiterClient = await testClient();
    const path = `${await testRoot(clients[0]!, 'rw-closed')}/lock`;
    const reader = record(readWriteLock(clients[0]!, path).read$());
    await eventually(() => state(reader) === 'acquired', 'the reader to hold');
    const writer = record(withWriteLock(waiterClient, path, () => ['never']));
    await eventually(async () => (await queueLength(path)) === 2, 'the writer to queue');
    await waiterClient.close();
    await eventually(() => writer.errors.length === 1, 'the writer to error');
    expect(writer.errors[0]).toBeInstanceOf(ClientClosedError);
    expect(writer.values).toEqual([]);
    await eventually(async () => (await queueLength(path)) === 1, "the closed client's node to go");
  });

  it('refuses a bad path or options at the call', () => {
    expect(() => readWriteLock(clients[0]!, 'locks/x')).toThrow(InvalidPathError);
    const rw = readWriteLock(clients[0]!, '/locks/x');
    expect(() => rw.write$({ timeoutMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => rw.read$({ timeoutMs: Number.NaN })).toThrow(/timeoutMs must be a number of milliseconds >= 0, got NaN/);
    expect(() => withReadLock(clients[0]!, '/locks/x', 'work' as never)).toThrow(InvalidArgumentError);
  });
});

function writerNodes(children: string[], path: string): string[] {
  return children
    .filter((n) => n.includes('-write-'))
    .sort((x, y) => Number(x.slice(-10)) - Number(y.slice(-10)))
    .map((n) => `${path}/${n}`);
}

function writerNode(children: string[], path: string): string {
  return writerNodes(children, path)[0]!;
}
