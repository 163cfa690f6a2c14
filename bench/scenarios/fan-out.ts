import { performance } from 'node:perf_hooks';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { counterOf, payload } from '../lib/payload.js';
import { createAll, rawSessionHex } from '../lib/raw.js';
import { rawCall } from '../../test/helpers/raw.js';
import { rawWatchData } from '../lib/raw-watch.js';
import { absoluteBar, LATENCY_METRICS, ratioBar, type Bar, type Contender, type Sample, type Scenario } from '../lib/scenario.js';
import { CHANGE_TIMEOUT_MS } from '../lib/timed-changes.js';

const FAN_OUT = [1, 100, 1_000] as const;

const READS = { key: 'reads', label: 'reads/change', better: 'lower', digits: 2 } as const;

/**
 * 3. N subscribers to one path on one client; timed until every one of them saw a change. Also
 * counts what the subscribing session sent the server per change (from `cons`): it must be one
 * read, however many subscribers there are.
 */
export const fanOut: Scenario = {
  id: 'fan-out',
  title: 'Fan-out: N subscribers to one path on one client',
  notes: [
    'Latency from setData (another session) until all N subscribers saw the value; reads/change = requests the subscribing session sent per change (server `cons`, pings included).',
    'raw floor: one watcher loop per session that calls N local callbacks.',
  ],
  async run(ctx) {
    const count = ctx.scale(30, 60);
    const results = [];
    for (const n of FAN_OUT) {
      const bars: Bar[] = [absoluteBar('reads', '<=', 1.02)];
      if (n === 1_000) bars.unshift(ratioBar('p50', '<=', 1.5));
      results.push(
        await compareCase(ctx, {
          name: `${n} subscriber${n === 1 ? '' : 's'}`,
          metrics: [...LATENCY_METRICS, READS],
          rounds: ctx.rounds * 2,
          bars,
          rxzk: () => rxzkSide(ctx, n, count),
          raw: () => rawSide(ctx, n, count),
        }),
      );
    }
    return results;
  },
};

/** Counts subscribers reaching a target value, and tells when the last one did. */
class FanIn {
  private readonly reachedIn: Int32Array;
  private target = Number.POSITIVE_INFINITY;
  private round = 0;
  private reached = 0;
  private resolve: ((at: number) => void) | null = null;

  constructor(private readonly size: number) {
    this.reachedIn = new Int32Array(size).fill(-1);
  }

  offer(subscriber: number, value: number): void {
    if (value < this.target || this.reachedIn[subscriber] === this.round) return;
    this.reachedIn[subscriber] = this.round;
    if (++this.reached === this.size && this.resolve) {
      const at = performance.now();
      const resolve = this.resolve;
      this.resolve = null;
      resolve(at);
    }
  }

  /** Arms for `target` (before the change is made); resolves when all subscribers saw it. */
  expectAll(target: number, what: string): Promise<number> {
    this.round++;
    this.target = target;
    this.reached = 0;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.resolve = null;
        reject(new Error(`timed out waiting for ${this.size} subscribers to see ${what} (${this.reached} did)`));
      }, CHANGE_TIMEOUT_MS);
      this.resolve = (at) => {
        clearTimeout(timer);
        resolve(at);
      };
    });
  }
}

async function timedFanOut(
  ctx: BenchContext,
  path: string,
  fan: FanIn,
  sessionHex: string,
  next: number,
  count: number,
): Promise<Sample> {
  const before = await ctx.packetsReceived(sessionHex);
  const latenciesMs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const counter = next + i;
    const all = fan.expectAll(counter, `${path} = ${counter}`);
    const t0 = performance.now();
    ctx.writer.setData(path, payload(counter), -1, (error) => {
      if (error) console.error(`set ${path}: ${error.message}`);
    });
    latenciesMs.push((await all) - t0);
  }
  const elapsedMs = performance.now() - started;
  await rawCall((cb) => ctx.writer.exists(path, undefined, cb));
  const after = await ctx.packetsReceived(sessionHex);
  return { latenciesMs, ops: count, elapsedMs, figures: { reads: (after - before) / count } };
}

async function rxzkSide(ctx: BenchContext, n: number, count: number): Promise<Contender> {
  const path = ctx.path(`fan-out-${n}-rxzk`);
  await createAll(ctx.writer, [path], payload(0));
  const zk = await ctx.client();
  const fan = new FanIn(n);
  const first = fan.expectAll(0, `${path} first value`);
  const subscriptions = Array.from({ length: n }, (_, i) =>
    zk.data$(path).subscribe((node) => fan.offer(i, counterOf(node?.data))),
  );
  await first;
  let next = 1;
  return {
    async round() {
      const sample = await timedFanOut(ctx, path, fan, zk.sessionId ?? '', next, count);
      next += count;
      return sample;
    },
    async close() {
      for (const s of subscriptions) s.unsubscribe();
      await ctx.closeClient(zk);
    },
  };
}

async function rawSide(ctx: BenchContext, n: number, count: number): Promise<Contender> {
  const path = ctx.path(`fan-out-${n}-raw`);
  await createAll(ctx.writer, [path], payload(0));
  const raw = await ctx.rawClient();
  const fan = new FanIn(n);
  const listeners = Array.from({ length: n }, (_, i) => (data: Buffer | null | undefined) => fan.offer(i, counterOf(data)));
  const first = fan.expectAll(0, `${path} first value`);
  const stop = rawWatchData(raw, path, (data) => {
    for (const listener of listeners) listener(data);
  });
  await first;
  let next = 1;
  return {
    async round() {
      const sample = await timedFanOut(ctx, path, fan, rawSessionHex(raw), next, count);
      next += count;
      return sample;
    },
    async close() {
      stop();
      await ctx.closeRaw(raw);
    },
  };
}
