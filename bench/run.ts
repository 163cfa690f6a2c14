/**
 * The bench run proper (started by `main.ts`): options, the server, the warm-up, the scenarios,
 * the table and the results file.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSrvr } from '../src/admin/four-letter.js';
import { startZooKeeper, type TestingZooKeeper } from '../src/testing/index.js';
import { BenchContext, Interrupted } from './lib/context.js';
import { createAll, deleteTree, RAW_CLIENT_SETTINGS } from './lib/raw.js';
import { closeRaw, connectRaw } from '../test/helpers/raw.js';
import { formatBars, formatComparison, formatScenario, type RunReport } from './lib/report.js';
import type { ScenarioResult } from './lib/scenario.js';
import { warmUp } from './lib/warm-up.js';
import { availableCapabilities, PLANNED, SCENARIOS } from './scenarios/index.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `Usage: npm run bench -- [options]
  --quick             fewer rounds, smaller workloads: a smoke check in under a minute
  --ensemble          run against a 3-member ensemble instead of a standalone server
  --only <ids>        comma-separated scenario ids (see --list)
  --rounds <n>        rounds per case (default 3 quick, 7 full, after 1 unrecorded in a full run)
  --compare <file>    compare the rxzk/raw ratios with an earlier results file
  --source            measure src/ through tsx rather than the compiled build
  --list              list the scenarios and exit
  --help              this text`;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function gitState(): RunReport['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench', 'package.json'], { cwd: REPO, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      ensemble: { type: 'boolean', default: false },
      only: { type: 'string' },
      rounds: { type: 'string' },
      compare: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      source: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    for (const s of SCENARIOS) console.log(`${s.id.padEnd(22)} ${s.title}`);
    for (const p of PLANNED) console.log(`${p.id.padEnd(22)} ${p.title} (planned; needs ${p.requires.join(', ')})`);
    return 0;
  }
  const quick = values.quick;
  const rounds = values.rounds ? Number(values.rounds) : quick ? 3 : 7;
  const warmUpRounds = quick ? 0 : 1;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50) throw new Error(`--rounds must be 1..50, got ${values.rounds}`);
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : null;
  const known = new Set([...SCENARIOS.map((s) => s.id), ...PLANNED.map((p) => p.id)]);
  for (const id of only ?? []) if (!known.has(id)) throw new Error(`--only: no scenario '${id}' (see --list)`);
  const earlier = values.compare ? (JSON.parse(await readFile(values.compare, 'utf8')) as RunReport) : null;

  const startedAt = new Date();
  const started = performance.now();
  let server: TestingZooKeeper | null = null;
  let ctx: BenchContext | null = null;
  let stopping: Promise<void> | null = null;
  const cleanUp = (): Promise<void> =>
    (stopping ??= (async () => {
      if (ctx) {
        await ctx.closeAll();
        await deleteTree(ctx.writer, ctx.root).catch(() => undefined);
        await closeRaw(ctx.writer);
      }
      await server?.stop();
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    log(`\n${signal}: stopping the server and exiting`);
    ctx?.interrupt();
    const force = setTimeout(() => process.exit(130), 15_000);
    force.unref();
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    log(`starting ZooKeeper (${values.ensemble ? '3-member ensemble' : 'standalone'})`);
    server = await startZooKeeper({ servers: values.ensemble ? 3 : 1 });
    const version = parseSrvr(await server.fourLetter(0, 'srvr')).version;
    // In an ensemble the writer talks to the leader and both contenders to the same follower, so
    // that every change is replicated before it is seen, alike for both.
    const leader = await server.leaderIndex();
    const contenders = server.size === 1 ? server.connectString : server.address((leader + 1) % server.size);
    const writer = await connectRaw(server.address(leader), RAW_CLIENT_SETTINGS);
    log(`ZooKeeper at ${server.connectString}: contenders on ${contenders}, writer on ${server.address(leader)}; rxzk from ${import.meta.resolve('../src/index.js').replace(/^.*\/(src|bench)\//, '$1/')}`);
    ctx = new BenchContext(server, contenders, { quick, rounds, warmUpRounds }, writer, log);
    await createAll(writer, [ctx.root], Buffer.alloc(0));

    const warmUpMs = quick ? 4_000 : 12_000;
    log(`warming up for ${warmUpMs / 1000} s (discarded)`);
    await warmUp(ctx, warmUpMs);

    const capabilities = await availableCapabilities();
    const results: ScenarioResult[] = [];
    const selected = SCENARIOS.filter((s) => !only || only.includes(s.id));
    for (const [i, scenario] of selected.entries()) {
      const missing = (scenario.requires ?? []).filter((c) => !capabilities.has(c));
      const base = { id: scenario.id, title: scenario.title, notes: scenario.notes ?? [] };
      if (missing.length > 0) {
        results.push({ ...base, cases: [], skipped: `needs ${missing.join(', ')}` });
        continue;
      }
      log(`${scenario.id}`);
      const t0 = performance.now();
      const cases = await scenario.run(ctx);
      results.push({ ...base, cases });
      log(formatScenario(i + 1, results.at(-1)!));
      log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    for (const planned of PLANNED.filter((p) => !only || only.includes(p.id))) {
      const missing = planned.requires.filter((c) => !capabilities.has(c));
      const skipped = missing.length > 0 ? `planned; needs ${missing.join(', ')}` : 'planned; not written yet';
      results.push({ id: planned.id, title: planned.title, cases: [], skipped });
    }

    const report: RunReport = {
      format: 'rxzk-bench/1',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
      settings: { quick, ensemble: values.ensemble, rounds, warmUpRounds, only, library: process.env['RXZK_BENCH_BUILD'] ? 'build' : 'source' },
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryBytes: totalmem(),
        platform: `${process.platform} ${process.arch}`,
        node: process.version,
        loadAverage: loadavg(),
      },
      server: { source: server.source, members: server.size, version, warmUpMs },
      git: gitState(),
      scenarios: results,
    };

    const out = [
      '',
      `rxzk bench — ${report.settings.quick ? 'quick' : 'full'}, rxzk from ${report.settings.library === 'build' ? 'the compiled build' : 'src/ through tsx'}, ${report.server.members === 1 ? 'standalone' : `${report.server.members}-member ensemble`} ZooKeeper ${version}, node ${process.version}, ${report.machine.cpus} × ${report.machine.cpuModel}`,
      `Each figure: median [min–max] over the rounds; the ratio is rxzk/raw taken round by round.`,
      '',
      ...results.map((r, i) => `${formatScenario(i + 1, r)}\n`),
      'Bars:',
      formatBars(report),
    ];
    if (earlier && values.compare) out.push('', formatComparison(report, earlier, values.compare));
    console.log(out.join('\n'));

    await mkdir(RESULTS, { recursive: true });
    const file = `${RESULTS}${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`\nwrote ${file} (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
    return 0;
  } catch (error) {
    if (error instanceof Interrupted) return 130;
    throw error;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
