import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { summarize } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { payload } from '../lib/payload.js';
import { createAll, deleteTree } from '../lib/raw.js';
import { treePaths } from '../lib/raw-tree.js';
import { absoluteBar, type Bar, type MetricSpec, type Sample, type Scenario } from '../lib/scenario.js';
import type { ProbeConfig } from '../memory/probe.js';

const PROBE = fileURLToPath(new URL('../memory/probe.ts', import.meta.url));
/** Loads src/ from the build in the child too, when the bench does (RXZK_BENCH_BUILD is inherited). */
const USE_BUILD = new URL('../lib/use-build.ts', import.meta.url).href;
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PROBE_TIMEOUT_MS = 150_000;

const CASES: readonly { key: string; name: string; bars: readonly Bar[] }[] = [
  { key: 'client', name: 'per idle client', bars: [] },
  { key: 'stream', name: 'per open data$ stream', bars: [] },
  { key: 'subscriber', name: 'per extra subscriber (shared stream)', bars: [absoluteBar('heap', '<=', 1024)] },
  { key: 'tree-node', name: 'per cached tree$ node', bars: [] },
];

const METRICS: readonly MetricSpec[] = [
  { key: 'heap', label: 'heap B', better: 'lower', digits: 0 },
  { key: 'external', label: 'external B', better: 'lower', digits: 0 },
  { key: 'rss', label: 'rss B', better: 'lower', digits: 0 },
];

/**
 * 8. Memory per idle client, per open stream, per extra subscriber on a shared stream, and per
 * cached tree$ node, each against the raw client doing the same by hand. Measured in a child
 * process per contender and round (`node --expose-gc`), from heap/RSS after a full GC.
 */
export const memory: Scenario = {
  id: 'memory',
  title: 'Memory (bytes per item, after a full GC)',
  notes: [
    'Each round runs one child process per contender (node --expose-gc) that opens the items one kind after the other; figures are (after - before) / items.',
    'raw: clients; getData-with-watcher loops keeping the latest data; local callbacks on one shared loop; the RawTree cache. rss is indicative only (pages are reused between kinds).',
  ],
  async run(ctx) {
    const base = ctx.path('memory');
    const streamPaths = Array.from({ length: ctx.scale(500, 1_000) }, (_, i) => `${base}/s-${i}`);
    const sharedPath = `${base}/shared`;
    const treeRoot = `${base}/tree`;
    const tree = treePaths(treeRoot, 1_000);
    await createAll(ctx.writer, [base, ...streamPaths, sharedPath, ...tree], payload(0));
    const config = (side: 'rxzk' | 'raw'): ProbeConfig => ({
      side,
      connectString: ctx.connectString,
      clients: ctx.scale(10, 20),
      streamPaths,
      sharedPath,
      extraSubscribers: 10_000,
      treeRoot,
      treeNodes: tree.length,
    });
    const rounds = ctx.scale(2, 3);
    const rxzk: Sample[] = [];
    const raw: Sample[] = [];
    try {
      ctx.progress('memory probes');
      for (let round = 0; round < rounds; round++) {
        ctx.checkInterrupted();
        for (const side of round % 2 === 0 ? (['rxzk', 'raw'] as const) : (['raw', 'rxzk'] as const)) {
          const figures = await runProbe(config(side));
          (side === 'rxzk' ? rxzk : raw).push({ figures });
        }
      }
    } finally {
      await deleteTree(ctx.writer, base);
    }
    return CASES.map(({ key, name, bars }) =>
      summarize(
        name,
        rxzk.map((s) => casePart(s, key)),
        raw.map((s) => casePart(s, key)),
        METRICS,
        bars,
      ),
    );
  },
};

/** The figures of one case (`stream.heap` → `heap`). */
function casePart(sample: Sample, key: string): Sample {
  const figures: Record<string, number> = {};
  for (const [name, value] of Object.entries(sample.figures ?? {})) {
    if (name.startsWith(`${key}.`)) figures[name.slice(key.length + 1)] = value;
  }
  return { figures };
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function runProbe(config: ProbeConfig): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--import', USE_BUILD, PROBE, JSON.stringify(config)], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    running.add(child);
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`memory probe (${config.side}) exited with ${code ?? signal}`));
      try {
        resolve((JSON.parse(line) as { figures: Record<string, number> }).figures);
      } catch {
        reject(new Error(`memory probe (${config.side}) printed no figures: ${line.slice(0, 200)}`));
      }
    });
  });
}
