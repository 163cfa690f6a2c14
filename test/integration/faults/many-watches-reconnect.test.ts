import { skip } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ConnectionState, ZkClient } from '../../../src/index.js';
import { ownZooKeeperBehindProxy } from '../../helpers/own-zookeeper.js';
import { eventually, nextMatching, record, testClient } from '../../helpers/zk.js';

const STREAMS = 30_000;
/** Paths of about 100 characters: 30,000 of them take about 3 MB to re-register in one request. */
const BASE = `/many-watches/${'w'.repeat(80)}`;

const own = ownZooKeeperBehindProxy();

/** Applies `step` to every index in transactions of 500 steps, a few in flight at once. */
async function inBatches(writer: ZkClient, step: (tx: ReturnType<ZkClient['transaction']>, i: number) => void): Promise<void> {
  const commits: Promise<unknown>[] = [];
  for (let from = 0; from < STREAMS; from += 500) {
    const tx = writer.transaction();
    for (let i = from; i < Math.min(STREAMS, from + 500); i++) step(tx, i);
    commits.push(tx.commit());
  }
  await Promise.all(commits);
}

describe(`${STREAMS} watched paths across a reconnect`, () => {
  it('reconnect once, stay connected, and every stream emits the next change', async () => {
    const { server, proxy } = own;
    const writer = await testClient({ connectString: server.connectString });
    await writer.create(BASE, null, { parents: true });
    const path = (i: number) => `${BASE}/node-${String(i).padStart(5, '0')}`;
    expect(path(0).length).toBeGreaterThanOrEqual(100);
    await inBatches(writer, (tx, i) => tx.create(path(i), 'before'));

    const zk = await testClient({ connectString: proxy.connectString, sessionTimeoutMs: 10_000 });
    // Filled, not sparse: `every` skips the holes of a sparse array.
    const latest: (string | undefined)[] = new Array<string | undefined>(STREAMS).fill(undefined);
    const errors: unknown[] = [];
    for (let i = 0; i < STREAMS; i++) {
      zk.data$(path(i)).subscribe({
        next: (node) => (latest[i] = node?.data.toString()),
        error: (error: unknown) => errors.push(error),
      });
    }
    await eventually(() => latest.every((v) => v === 'before'), 'every stream to read its node', 60_000);

    const states = record<ConnectionState>(zk.state$.pipe(skip(1)));
    await proxy.refuse();
    await proxy.restore();
    await nextMatching(zk.state$, (s) => s === 'reconnected', 'reconnected', 30_000);

    await inBatches(writer, (tx, i) => tx.set(path(i), 'after'));
    await eventually(() => latest.every((v) => v === 'after'), 'every stream to emit the change', 60_000);
    // One suspension and one reconnect: the server took the re-armed watches without dropping
    // the connection again.
    expect(states.values).toEqual(['suspended', 'reconnected']);
    expect(zk.state).toBe('reconnected');
    expect(errors).toEqual([]);
  }, 180_000);
});
