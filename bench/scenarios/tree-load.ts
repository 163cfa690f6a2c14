import { performance } from 'node:perf_hooks';
import { filter, firstValueFrom, timeout } from 'rxjs';
import type { RawClient } from '../../src/wire/nzc/raw-client.js';
import { Arrival } from '../lib/arrival.js';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { counterOf, payload } from '../lib/payload.js';
import { createAll, deleteTree } from '../lib/raw.js';
import { followRawSessions, rawExpiringSide } from '../lib/raw-sessions.js';
import { EXPIRY_SESSION_TIMEOUT_MS, rxzkExpiringSide, timedExpiries } from '../lib/expiry.js';
import { RawTree, treePaths } from '../lib/raw-tree.js';
import { DISCARDED, EVENT_METRICS, P50, MAX, ratioBar, type Contender, type MetricSpec, type Sample, type Scenario } from '../lib/scenario.js';

const NODES_PER_S: MetricSpec = { key: 'ops', label: 'nodes/s', better: 'higher', digits: 0 };
const CPU_PER_NODE: MetricSpec = { key: 'cpu', label: 'cpu µs/node', better: 'lower', digits: 1 };

const LOAD_TIMEOUT_MS = 60_000;

/**
 * 6. `tree$` of a 1,000- and a 10,000-node subtree: the initial load, and the resync after a new
 * session, against a raw pipelined breadth-first read doing the same requests (memory per cached
 * node is in the memory scenario).
 */
export const treeLoad: Scenario = {
  id: 'tree',
  title: 'tree$: initial load and resync after a new session',
  notes: [
    'load: from subscribing (client already connected) to the first, complete emission. raw: breadth-first getData + getChildren with watches on every node, at most 64 in flight (tree$\'s default).',
    'resync: the session is expired (expireSession) and a leaf is set right after; timed from then until the cache shows the new value, i.e. the whole tree was read again on a new session. raw: on `expired`, a new client re-reads everything the same way.',
  ],
  async run(ctx) {
    const sizes = ctx.scale([1_000], [1_000, 10_000]);
    const results = [];
    for (const size of sizes) {
      const root = ctx.path(`tree-${size}`);
      const paths = treePaths(root, size);
      ctx.progress(`creating a ${paths.length}-node tree`);
      await createAll(ctx.writer, paths, payload(0));
      try {
        const loads = size >= 10_000 ? 1 : ctx.scale(2, 3);
        results.push(
          await compareCase(ctx, {
            name: `load ${size.toLocaleString('en')} nodes`,
            metrics: [P50, MAX, NODES_PER_S, CPU_PER_NODE],
            // The 1,000-node load warms the code path up for the larger one.
            warmUpRounds: size >= 10_000 ? 0 : ctx.warmUpRounds,
            bars: [ratioBar('p50', '<=', 1.5)],
            rxzk: async () => ({ round: () => rxzkLoads(ctx, root, paths.length, loads), close: async () => {} }),
            raw: async () => ({ round: () => rawLoads(ctx, root, paths.length, loads), close: async () => {} }),
          }),
        );
        const resyncs = size >= 10_000 ? 1 : ctx.scale(1, 2);
        const leaf = paths[paths.length - 1]!;
        // Both contenders watch the same tree: the values written must grow across both.
        const counter = { next: 1 };
        results.push(
          await compareCase(ctx, {
            name: `resync ${size.toLocaleString('en')} nodes`,
            metrics: [...EVENT_METRICS, DISCARDED],
            warmUpRounds: 0,
            bars: [ratioBar('p50', '<=', 1.5)],
            rxzk: () => rxzkResync(ctx, { root, leaf, expected: paths.length, count: resyncs, counter }),
            raw: () => rawResync(ctx, { root, leaf, expected: paths.length, count: resyncs, counter }),
          }),
        );
      } finally {
        await deleteTree(ctx.writer, root);
      }
    }
    return results;
  },
};

async function rxzkLoads(ctx: BenchContext, root: string, expected: number, loads: number): Promise<Sample> {
  const latenciesMs: number[] = [];
  for (let i = 0; i < loads; i++) {
    const zk = await ctx.client();
    try {
      const t0 = performance.now();
      const tree = await firstValueFrom(zk.tree$(root).pipe(timeout(LOAD_TIMEOUT_MS)));
      latenciesMs.push(performance.now() - t0);
      if (tree.size !== expected) throw new Error(`tree$ ${root}: ${tree.size} nodes, expected ${expected}`);
    } finally {
      await ctx.closeClient(zk);
    }
  }
  return { latenciesMs, ops: expected * loads, elapsedMs: latenciesMs.reduce((a, b) => a + b, 0) };
}

async function rawLoads(ctx: BenchContext, root: string, expected: number, loads: number): Promise<Sample> {
  const latenciesMs: number[] = [];
  for (let i = 0; i < loads; i++) {
    const raw = await ctx.rawClient();
    try {
      const t0 = performance.now();
      const tree = await loadRawTree(raw, root);
      latenciesMs.push(performance.now() - t0);
      tree.stop();
      if (tree.nodes.size !== expected) throw new Error(`raw tree ${root}: ${tree.nodes.size} nodes, expected ${expected}`);
    } finally {
      await ctx.closeRaw(raw);
    }
  }
  return { latenciesMs, ops: expected * loads, elapsedMs: latenciesMs.reduce((a, b) => a + b, 0) };
}

function loadRawTree(raw: RawClient, root: string): Promise<RawTree> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`raw tree ${root}: not loaded in time`)), LOAD_TIMEOUT_MS);
    let done = false;
    new RawTree(
      raw,
      root,
      (tree) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(tree);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A resync case: the tree, the leaf set after each expiry, and the values written (shared by both contenders). */
interface Resync {
  root: string;
  leaf: string;
  /** Nodes in the tree. */
  expected: number;
  /** Expiries per round. */
  count: number;
  counter: { next: number };
}

async function rxzkResync(ctx: BenchContext, { root, leaf, expected, count, counter }: Resync): Promise<Contender> {
  const arrival = new Arrival<number>();
  const side = await rxzkExpiringSide(ctx, async (zk) => {
    const tree$ = zk.tree$(root);
    const subscription = tree$.subscribe((tree) => arrival.offer(counterOf(tree.get(leaf)?.data)));
    await firstValueFrom(tree$.pipe(filter((t) => t.size === expected), timeout(LOAD_TIMEOUT_MS)));
    return subscription;
  });
  return {
    round: () => timedExpiries(ctx, side, leaf, arrival, counter, count, LOAD_TIMEOUT_MS),
    close: () => side.close(),
  };
}

async function rawResync(ctx: BenchContext, { root, leaf, expected, count, counter }: Resync): Promise<Contender> {
  const arrival = new Arrival<number>();
  let size = 0;
  const sessions = await followRawSessions(ctx, EXPIRY_SESSION_TIMEOUT_MS, (client) => {
    const tree = new RawTree(
      client,
      root,
      (t) => {
        size = t.nodes.size;
        arrival.offer(counterOf(t.nodes.get(leaf)?.data));
      },
      (error) => console.error(`raw tree ${root}: ${error.message}`),
    );
    return () => tree.stop();
  });
  await arrival.expect((v) => v >= 0, LOAD_TIMEOUT_MS, `raw tree ${root} loaded`);
  if (size !== expected) throw new Error(`raw tree ${root}: ${size} nodes, expected ${expected}`);
  return {
    round: () => timedExpiries(ctx, rawExpiringSide(ctx, sessions), leaf, arrival, counter, count, LOAD_TIMEOUT_MS),
    close: () => sessions.close(),
  };
}
