import { performance } from 'node:perf_hooks';
import type { BenchContext } from './context.js';
import { counterOf, payload } from './payload.js';
import { rawCall } from '../../test/helpers/raw.js';
import { createAll, OPEN_ACL } from './raw.js';
import { rawWatchData } from './raw-watch.js';

/**
 * Runs a mix of everything the scenarios do, from both kinds of client, for `durationMs`: a cold
 * ZooKeeper JVM runs at about half speed, and Node's JIT has not compiled either side's hot path
 * yet. Nothing is measured.
 */
export async function warmUp(ctx: BenchContext, durationMs: number): Promise<void> {
  const base = ctx.path('warm-up');
  const watched = `${base}/watched`;
  await createAll(ctx.writer, [base, watched], payload(0));
  const zk = await ctx.client();
  const raw = await ctx.rawClient();
  let seen = 0;
  const subscriptions = [
    zk.data$(watched).subscribe((node) => (seen = Math.max(seen, counterOf(node?.data)))),
    zk.children$(base).subscribe(),
  ];
  const stop = rawWatchData(raw, watched, (data) => (seen = Math.max(seen, counterOf(data))));
  const deadline = performance.now() + durationMs;
  try {
    for (let i = 1; performance.now() < deadline; i++) {
      ctx.checkInterrupted();
      const ops: Promise<unknown>[] = [];
      for (let k = 0; k < 32; k++) {
        const path = `${base}/n-${i}-${k}`;
        ops.push(zk.get(watched), zk.set(watched, payload(i)), zk.create(path, payload(k)).then(() => zk.delete(path)));
        ops.push(
          rawCall((cb) => raw.getData(watched, undefined, cb)),
          rawCall((cb) => raw.create(`${path}-raw`, payload(k), OPEN_ACL, 0, cb)).then(() =>
            rawCall((cb) => raw.remove(`${path}-raw`, -1, cb)),
          ),
        );
      }
      await Promise.all(ops);
      if (i % 4 === 0) await zk.getChildren(base);
    }
  } finally {
    stop();
    for (const s of subscriptions) s.unsubscribe();
    await ctx.closeClient(zk);
    await ctx.closeRaw(raw);
  }
  if (seen === 0) throw new Error('warm-up: no change was seen');
}
