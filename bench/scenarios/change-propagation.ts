import { Arrival } from '../lib/arrival.js';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { counterOf, payload } from '../lib/payload.js';
import { createAll } from '../lib/raw.js';
import { rawWatchData } from '../lib/raw-watch.js';
import { ratioBar, type Contender, type Scenario } from '../lib/scenario.js';
import { CHANGE_TIMEOUT_MS, timedSets } from '../lib/timed-changes.js';

/**
 * 1. A writer sets a node; a subscriber's `data$` emits the new node. The raw contender's
 * watcher fires, re-arms with getData, and gets the data. Sequential: one change at a time.
 */
export const changePropagation: Scenario = {
  id: 'change-propagation',
  title: 'Change propagation: set → data$ emits',
  notes: [
    'Latency from the writer\'s setData (another session) to the subscriber seeing the new value; one change at a time.',
    'raw: getData with a watcher; when it fires, getData again (re-arming) and hand over the data.',
    'The absolute p50 is the data watch set-to-seen figure; on this machine Curator takes 0.25 ms and kazoo 0.37 ms.',
  ],
  async run(ctx) {
    // Many short rounds: the machine's load drifts within seconds, and back-to-back short rounds
    // of the two contenders see the same load.
    const count = ctx.scale(60, 100);
    return [
      await compareCase(ctx, {
        name: 'set → seen',
        rounds: ctx.rounds * 3,
        bars: [ratioBar('p50', '<=', 1.15)],
        rxzk: () => rxzkSide(ctx, count),
        raw: () => rawSide(ctx, count),
      }),
    ];
  },
};

async function watchedNode(ctx: BenchContext, name: string): Promise<string> {
  const path = ctx.path(name);
  await createAll(ctx.writer, [path], payload(0));
  return path;
}

async function rxzkSide(ctx: BenchContext, count: number): Promise<Contender> {
  const path = await watchedNode(ctx, 'change-rxzk');
  const zk = await ctx.client();
  const arrival = new Arrival<number>();
  const subscription = zk.data$(path).subscribe((node) => arrival.offer(counterOf(node?.data)));
  await arrival.expect((v) => v === 0, CHANGE_TIMEOUT_MS, `${path} first value`);
  let next = 1;
  return {
    async round() {
      const sample = await timedSets(ctx.writer, path, arrival, next, count);
      next += count;
      return sample;
    },
    async close() {
      subscription.unsubscribe();
      await ctx.closeClient(zk);
    },
  };
}

async function rawSide(ctx: BenchContext, count: number): Promise<Contender> {
  const path = await watchedNode(ctx, 'change-raw');
  const raw = await ctx.rawClient();
  const arrival = new Arrival<number>();
  const stop = rawWatchData(raw, path, (data) => arrival.offer(counterOf(data)));
  await arrival.expect((v) => v === 0, CHANGE_TIMEOUT_MS, `${path} first value`);
  let next = 1;
  return {
    async round() {
      const sample = await timedSets(ctx.writer, path, arrival, next, count);
      next += count;
      return sample;
    },
    async close() {
      stop();
      await ctx.closeRaw(raw);
    },
  };
}
