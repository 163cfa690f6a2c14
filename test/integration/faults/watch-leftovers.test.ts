import { skip } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ZkClient } from '../../../src/index.js';
import { ownZooKeeperBehindProxy } from '../../helpers/own-zookeeper.js';
import { watchedPaths } from '../../helpers/server-stats.js';
import { eventually, nextMatching, record, testClient } from '../../helpers/zk.js';

const own = ownZooKeeperBehindProxy();

/** A client straight to the server, or through the proxy. */
const client = (via: 'server' | 'proxy'): Promise<ZkClient> =>
  testClient({ connectString: (via === 'server' ? own.server : own.proxy).connectString, sessionTimeoutMs: 8_000 });

/** Cuts every connection through the proxy for a moment (well within the session timeout). */
async function reconnect(zk: ZkClient): Promise<void> {
  // state$ replays the current state first, which may be an earlier 'reconnected'.
  const back = nextMatching(zk.state$.pipe(skip(1)), (s) => s === 'reconnected', 'reconnected');
  await own.proxy.refuse();
  await own.proxy.restore();
  await back;
}

/** Collects the process's warnings while `run` runs. */
async function warningsDuring(run: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    await run();
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

describe('watches of streams that ended', () => {
  it('are not armed again after a reconnect: the server keeps only the live streams', async () => {
    const writer = await client('server');
    await writer.create('/leftovers', null);
    const tx = writer.transaction();
    for (let i = 0; i < 200; i++) tx.create(`/leftovers/n${i}`, 'x');
    await tx.commit();

    const zk = await client('proxy');
    // 200 paths that exist and 200 that never do, and streams over their parent and its subtree,
    // each subscribed and unsubscribed three times.
    const paths = Array.from({ length: 200 }, (_, i) => [`/leftovers/n${i}`, `/leftovers/missing-${i}`]).flat();
    for (let round = 0; round < 3; round++) {
      const seen = [
        ...paths.map((path) => record<unknown>(zk.data$(path))),
        record<unknown>(zk.children$('/leftovers')),
        record<unknown>(zk.exists$('/leftovers/missing')),
        record<unknown>(zk.tree$('/leftovers')),
      ];
      await eventually(() => seen.every((r) => r.values.length > 0), 'the first value of every stream');
      for (const r of seen) r.subscription.unsubscribe();
    }
    const live = record(zk.data$('/leftovers/n0'));
    await eventually(() => live.values.length > 0, 'the live stream');
    // The server still holds the leftovers on the connection they were armed on...
    expect((await watchedPaths(own.server.connectString, zk.sessionId!)).length).toBeGreaterThan(1);

    await reconnect(zk);
    // ...and only the live stream's watch on the next.
    await eventually(
      async () => (await watchedPaths(own.server.connectString, zk.sessionId!)).join() === '/leftovers/n0',
      'only the live watch on the server',
    );
    await writer.set('/leftovers/n0', 'changed');
    await nextMatching(zk.data$('/leftovers/n0'), (n) => n?.data.toString() === 'changed', 'the live stream to go on');
  });

  it('leave one watcher per path however often a stream is subscribed, and none once it ends', async () => {
    const writer = await client('server');
    await writer.create('/resubscribed', 'v0');
    const zk = await client('proxy');

    const warnings = await warningsDuring(async () => {
      for (let i = 0; i < 30; i++) {
        for (const stream of [zk.data$('/resubscribed'), zk.children$('/resubscribed'), zk.exists$('/resubscribed')]) {
          const seen = record<unknown>(stream);
          await eventually(() => seen.values.length > 0, 'a first value');
          seen.subscription.unsubscribe();
        }
      }
    });
    expect(warnings).toEqual([]);
  });

  it('a leader, a lock holder and a registrant through 15 reconnects add no listener (no MaxListenersExceededWarning)', async () => {
    const { leadership, lock, register } = await import('../../../src/index.js');
    const zk = await client('proxy');
    const leader = record(leadership(zk, '/reconnects/election', { id: 'a' }));
    const holder = record(lock(zk, '/reconnects/lock'));
    const registrant = record(register(zk, '/reconnects/services', { id: 'a', host: '127.0.0.1', port: 1 }));
    await eventually(
      () =>
        leader.values.at(-1)?.isLeader === true &&
        holder.values.at(-1)?.state === 'acquired' &&
        registrant.values.at(-1)?.state === 'registered',
      'leading, holding and registered',
    );
    const warnings = await warningsDuring(async () => {
      for (let i = 0; i < 15; i++) {
        await reconnect(zk);
        await eventually(
          () =>
            leader.values.at(-1)?.isLeader === true &&
            holder.values.at(-1)?.state === 'acquired' &&
            registrant.values.at(-1)?.state === 'registered',
          `leading, holding and registered again after reconnect ${i + 1}`,
        );
      }
    });
    expect(warnings).toEqual([]);
    for (const r of [leader, holder, registrant]) expect(r.errors).toEqual([]);
  });
});
