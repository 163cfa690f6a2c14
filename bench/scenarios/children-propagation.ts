import { performance } from 'node:perf_hooks';
import { Arrival } from '../lib/arrival.js';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { payload } from '../lib/payload.js';
import { createAll, OPEN_ACL } from '../lib/raw.js';
import { rawCall } from '../../test/helpers/raw.js';
import { rawWatchChildren } from '../lib/raw-watch.js';
import { ratioBar, type Contender, type Sample, type Scenario } from '../lib/scenario.js';
import { CHANGE_TIMEOUT_MS } from '../lib/timed-changes.js';

const SIBLINGS = 10;

type Timed = 'create' | 'delete';

/**
 * 4. A writer creates and deletes a child; a subscriber's `children$` shows the new list. One
 * case times the creates, the other the deletes (the other operation is made untimed in between).
 */
export const childrenPropagation: Scenario = {
  id: 'children-propagation',
  title: 'children$ propagation on create and delete',
  notes: [
    `Latency from create/delete (another session) of a child of a node with ${SIBLINGS} other children until the subscriber's list shows it.`,
    'raw: getChildren with a watcher, re-armed on every change (the list is used as the server sends it, unsorted).',
  ],
  async run(ctx) {
    const count = ctx.scale(40, 80);
    const results = [];
    for (const timed of ['create', 'delete'] as const) {
      results.push(
        await compareCase(ctx, {
          name: `${timed} → seen`,
          rounds: ctx.rounds * 2,
          bars: [ratioBar('p50', '<=', 1.15)],
          rxzk: () =>
            side(ctx, `children-${timed}-rxzk`, timed, count, async (parent, arrival) => {
              const zk = await ctx.client();
              const subscription = zk.children$(parent).subscribe((names) => arrival.offer(names ?? []));
              return async () => {
                subscription.unsubscribe();
                await ctx.closeClient(zk);
              };
            }),
          raw: () =>
            side(ctx, `children-${timed}-raw`, timed, count, async (parent, arrival) => {
              const raw = await ctx.rawClient();
              const stop = rawWatchChildren(raw, parent, (names) => arrival.offer(names));
              return async () => {
                stop();
                await ctx.closeRaw(raw);
              };
            }),
        }),
      );
    }
    return results;
  },
};

async function side(
  ctx: BenchContext,
  name: string,
  timed: Timed,
  count: number,
  subscribe: (parent: string, arrival: Arrival<readonly string[]>) => Promise<() => Promise<void>>,
): Promise<Contender> {
  const parent = ctx.path(name);
  const siblings = Array.from({ length: SIBLINGS }, (_, i) => `${parent}/sibling-${i}`);
  await createAll(ctx.writer, [parent, ...siblings], payload(0));
  const arrival = new Arrival<readonly string[]>();
  const close = await subscribe(parent, arrival);
  await arrival.expect((names) => names.length === SIBLINGS, CHANGE_TIMEOUT_MS, `${parent} first list`);
  let next = 0;
  const { writer } = ctx;
  return {
    async round(): Promise<Sample> {
      const latenciesMs: number[] = [];
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const child = `c-${next++}`;
        const path = `${parent}/${child}`;
        // Create, wait until seen; delete, wait until seen. One of the two is timed.
        let t0 = performance.now();
        writer.create(path, payload(i), OPEN_ACL, 0, (error) => {
          if (error) console.error(`create ${path}: ${error.message}`);
        });
        let seenAt = await arrival.expect((names) => names.includes(child), CHANGE_TIMEOUT_MS, `${child} created`);
        if (timed === 'create') latenciesMs.push(seenAt - t0);
        t0 = performance.now();
        writer.remove(path, -1, (error) => {
          if (error) console.error(`delete ${path}: ${error.message}`);
        });
        seenAt = await arrival.expect((names) => !names.includes(child), CHANGE_TIMEOUT_MS, `${child} deleted`);
        if (timed === 'delete') latenciesMs.push(seenAt - t0);
      }
      const elapsedMs = performance.now() - started;
      await rawCall((cb) => writer.exists(parent, undefined, cb));
      return { latenciesMs, ops: count, elapsedMs };
    },
    close,
  };
}
