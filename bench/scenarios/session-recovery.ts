import { performance } from 'node:perf_hooks';
import { expireSession } from '../../src/testing/index.js';
import { Arrival } from '../lib/arrival.js';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { counterOf, payload } from '../lib/payload.js';
import { createAll, rawCredentials } from '../lib/raw.js';
import { followRawSessions } from '../lib/raw-sessions.js';
import { rawWatchData } from '../lib/raw-watch.js';
import { absoluteBar, EVENT_METRICS, type Contender, type Sample, type Scenario } from '../lib/scenario.js';

const RECOVERY_TIMEOUT_MS = 30_000;

/** Curator's figure for the same recovery on this machine (ms): rxzk should beat it. */
const CURATOR_RECOVERY_MS = 1_600;
/** kazoo's figure (ms). */
const KAZOO_RECOVERY_MS = 200;

/**
 * Recovery after a session expiry: the subscriber's session is expired on the server
 * (expireSession), a write is made right after, and the time is taken until `data$` shows it.
 */
export const sessionRecovery: Scenario = {
  id: 'session-recovery',
  title: 'Recovery after session expiry until fresh updates flow',
  notes: [
    'Timed from the moment the server has expired the session (a write is made then) until the subscriber sees that write.',
    `raw: on \`expired\`, a new client and the getData-with-watcher loop again. Reference figures on this machine: Curator ${CURATOR_RECOVERY_MS} ms, kazoo ${KAZOO_RECOVERY_MS} ms.`,
  ],
  async run(ctx) {
    const count = ctx.scale(2, 3);
    return [
      await compareCase(ctx, {
        name: 'expiry → fresh value seen',
        metrics: EVENT_METRICS,
        bars: [absoluteBar('p50', '<=', KAZOO_RECOVERY_MS)],
        rxzk: () => rxzkSide(ctx, count),
        raw: () => rawSide(ctx, count),
      }),
    ];
  },
};

async function timedRecoveries(
  ctx: BenchContext,
  path: string,
  arrival: Arrival<number>,
  expire: () => Promise<void>,
  count: number,
  counter: { next: number },
): Promise<Sample> {
  const latenciesMs: number[] = [];
  for (let i = 0; i < count; i++) {
    const value = counter.next++;
    await expire();
    const t0 = performance.now();
    ctx.writer.setData(path, payload(value), -1, (error) => {
      if (error) console.error(`set ${path}: ${error.message}`);
    });
    const seenAt = await arrival.expect((v) => v >= value, RECOVERY_TIMEOUT_MS, `${path} = ${value} after expiry`);
    latenciesMs.push(seenAt - t0);
  }
  return { latenciesMs, ops: count, elapsedMs: latenciesMs.reduce((a, b) => a + b, 0) };
}

async function rxzkSide(ctx: BenchContext, count: number): Promise<Contender> {
  const path = ctx.path('recovery-rxzk');
  await createAll(ctx.writer, [path], payload(0));
  const zk = await ctx.client();
  const arrival = new Arrival<number>();
  const subscription = zk.data$(path).subscribe((node) => arrival.offer(counterOf(node?.data)));
  await arrival.expect((v) => v === 0, RECOVERY_TIMEOUT_MS, `${path} first value`);
  const counter = { next: 1 };
  return {
    round: () => timedRecoveries(ctx, path, arrival, () => expireSession(zk), count, counter),
    async close() {
      subscription.unsubscribe();
      await ctx.closeClient(zk);
    },
  };
}

async function rawSide(ctx: BenchContext, count: number): Promise<Contender> {
  const path = ctx.path('recovery-raw');
  await createAll(ctx.writer, [path], payload(0));
  const arrival = new Arrival<number>();
  const sessions = await followRawSessions(ctx, (client) =>
    rawWatchData(client, path, (data) => arrival.offer(counterOf(data)), () => {}),
  );
  await arrival.expect((v) => v === 0, RECOVERY_TIMEOUT_MS, `${path} first value`);
  const counter = { next: 1 };
  return {
    round: () => timedRecoveries(ctx, path, arrival, () => expireSession(rawCredentials(ctx, sessions.current)), count, counter),
    close: () => sessions.close(),
  };
}
