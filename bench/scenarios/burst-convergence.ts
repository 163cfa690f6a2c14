import { performance } from 'node:perf_hooks';
import type { RawClient } from '../../src/wire/nzc/raw-client.js';
import { Arrival } from '../lib/arrival.js';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { counterOf, payload } from '../lib/payload.js';
import { createAll } from '../lib/raw.js';
import { rawWatchData } from '../lib/raw-watch.js';
import { CPU, P50, ratioBar, type Contender, type MetricSpec, type Sample, type Scenario } from '../lib/scenario.js';

const SETS_PER_S: MetricSpec = { key: 'ops', label: 'sets/s', better: 'higher', digits: 0 };
const CPU_PER_SET: MetricSpec = { ...CPU, label: 'cpu µs/set' };
import { CHANGE_TIMEOUT_MS } from '../lib/timed-changes.js';

const BURST = 2_000;

/**
 * 2. The writer pipelines 2,000 sets of one node; timed until the subscriber has seen the last
 * one. Intermediate values may be skipped (both contenders read once per fired watch).
 */
export const burstConvergence: Scenario = {
  id: 'burst-convergence',
  title: 'Burst convergence: 2,000 pipelined sets → data$ shows the last',
  notes: [
    'Time from the first of 2,000 pipelined setData requests (another session) until the subscriber sees the last value.',
    'raw: the same getData-with-watcher loop as change propagation.',
  ],
  async run(ctx) {
    // One burst per round and many rounds, so that each burst of one contender has one of the
    // other right next to it.
    const bursts = 1;
    return [
      await compareCase(ctx, {
        name: `${BURST} sets → last seen`,
        rounds: ctx.rounds * 2,
        metrics: [P50, SETS_PER_S, CPU_PER_SET],
        bars: [ratioBar('p50', '<=', 1.15)],
        rxzk: () => side(ctx, 'burst-rxzk', bursts, async (path, arrival) => {
          const zk = await ctx.client();
          const subscription = zk.data$(path).subscribe((node) => arrival.offer(counterOf(node?.data)));
          return async () => {
            subscription.unsubscribe();
            await ctx.closeClient(zk);
          };
        }),
        raw: () => side(ctx, 'burst-raw', bursts, async (path, arrival) => {
          const raw = await ctx.rawClient();
          const stop = rawWatchData(raw, path, (data) => arrival.offer(counterOf(data)));
          return async () => {
            stop();
            await ctx.closeRaw(raw);
          };
        }),
      }),
    ];
  },
};

async function side(
  ctx: BenchContext,
  name: string,
  bursts: number,
  subscribe: (path: string, arrival: Arrival<number>) => Promise<() => Promise<void>>,
): Promise<Contender> {
  const path = ctx.path(name);
  await createAll(ctx.writer, [path], payload(0));
  const arrival = new Arrival<number>();
  const close = await subscribe(path, arrival);
  await arrival.expect((v) => v === 0, CHANGE_TIMEOUT_MS, `${path} first value`);
  let next = 1;
  return {
    async round(): Promise<Sample> {
      const latenciesMs: number[] = [];
      const started = performance.now();
      for (let b = 0; b < bursts; b++) {
        const last = next + BURST - 1;
        const t0 = performance.now();
        const acknowledged = pipelineSets(ctx.writer, path, next, BURST);
        const seenAt = await arrival.expect((v) => v >= last, CHANGE_TIMEOUT_MS * 3, `${path} = ${last}`);
        latenciesMs.push(seenAt - t0);
        await acknowledged;
        next = last + 1;
      }
      return { latenciesMs, ops: bursts * BURST, elapsedMs: performance.now() - started };
    },
    close,
  };
}

/** Sends `count` sets at once; resolves when every reply is in. */
function pipelineSets(writer: RawClient, path: string, first: number, count: number): Promise<void> {
  return new Promise((resolve) => {
    let pending = count;
    for (let i = 0; i < count; i++) {
      writer.setData(path, payload(first + i), -1, (error) => {
        if (error) console.error(`set ${path}: ${error.message}`);
        if (--pending === 0) resolve();
      });
    }
  });
}
