// A short chaos run in CI: a minute of member kills, blackholed connections, expired sessions and
// registrant restarts against a 3-member ensemble of its own, then the checker over every log.
// Safety violations fail the test; liveness findings are printed, not failed (see the README's
// "Chaos runs" for why). Its own vitest project, run after the integration tests, alone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsOf } from './events.js';
import { formatReport } from './report.js';
import { runChaos } from './runner.js';

const DURATION_MS = 60_000;
const seed = Number(process.env['RXZK_CHAOS_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const abort = new AbortController();
afterEach(() => abort.abort());

describe('chaos', () => {
  it(`a one-minute run (seed ${seed}) breaks no safety property and leaves no process behind`, async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'rxzk-chaos-ci-'));
    const said: string[] = [];
    const { result } = await runChaos({
      durationMs: DURATION_MS,
      seed,
      sessionTimeoutMs: 4_000,
      outDir,
      say: (line) => said.push(line),
      signal: abort.signal,
    });
    const report = formatReport(result, { seed, durationMs: DURATION_MS, external: false, outDir: `${outDir} (removed if the test passes)` });
    const rerun = `npm run chaos -- --duration ${DURATION_MS / 1000} --seed ${seed} --out chaos-logs`;
    console.log(`${report}\n(repeat: ${rerun})`);

    const safety = result.violations.filter((v) => v.kind === 'safety');
    expect(safety.map((v) => `${v.check}: ${v.message}`), `${report}\n(repeat: ${rerun})`).toEqual([]);

    // The run did what it is for: faults of every kind, and work under them.
    const { faults, operations } = result.stats;
    expect(faults['kill-member']).toBeGreaterThan(0);
    expect(faults.blackhole + faults['expire-session'] + faults['restart-registrant']).toBeGreaterThan(0);
    expect(operations.criticalSections).toBeGreaterThan(0);
    expect(operations.leaderTerms).toBeGreaterThan(0);
    expect(operations.valuesSeen).toBeGreaterThan(0);

    // Every participant process it started is gone.
    const pids = eventsOf(result.facts.events, 'spawn').map((s) => s.pid);
    expect(pids.length).toBeGreaterThanOrEqual(14);
    expect(pids.filter(alive)).toEqual([]);
    await rm(outDir, { recursive: true, force: true });
  }, 300_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
