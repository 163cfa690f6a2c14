import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnScript } from '../../helpers/cli.js';
import { testClient } from '../../helpers/zk.js';

const DEMO = fileURLToPath(new URL('../../../demos/dashboard/main.ts', import.meta.url));

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The PIDs of every process the demo said it started. */
const startedPids = (lines: readonly string[]) =>
  lines.flatMap((l) => {
    const match = / started .*\(pid (\d+)\)/.exec(l);
    return match ? [Number(match[1])] : [];
  });

describe('npm run demo (non-TTY)', () => {
  it('shows the failover when the leader process is killed, and stops everything after --duration', async () => {
    const root = `/rxzk-test/demo-${randomUUID()}`;
    const demo = spawnScript(DEMO, ['--duration', '30', '--fault-every', '4', '--root', root], { timeoutMs: 90_000 });
    const result = await demo.exited;
    const lines = demo.lines;
    expect(result.code, result.stderr).toBe(0);

    // Piped, it prints one timestamped event per line.
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z {2}\S/.test(l))).toBe(true);

    const kill = lines.findIndex((l) => /fault\s+killing the leader w\d/.test(l));
    expect(kill, 'a leader was killed').toBeGreaterThan(0);
    const killed = /killing the leader (w\d)/.exec(lines[kill]!)![1]!;
    const after = lines.slice(kill + 1);
    const handover = after.map((l) => /\sleader\s+(w\d) \(was (w\d)\)/.exec(l)).find((m) => m !== null);
    expect(handover, 'a new leader after the kill').toBeDefined();
    expect(handover![2]).toBe(killed);
    expect(handover![1]).not.toBe(killed);
    expect(after.some((l) => new RegExp(`services\\s+${killed} left$`).test(l))).toBe(true);

    // Every process it started is gone, and so is its data.
    const pids = startedPids(lines);
    expect(pids.length).toBeGreaterThanOrEqual(5); // dashboard, 3 workers, the restarted leader
    expect(pids.filter(isAlive)).toEqual([]);
    expect(lines.at(-1)).toMatch(/stopped: \d+ processes started, 0 still running/);
    const zk = await testClient();
    expect(await zk.exists(root)).toBeNull();
  }, 120_000);

  it('Ctrl-C stops every process it started', async () => {
    const root = `/rxzk-test/demo-${randomUUID()}`;
    const demo = spawnScript(DEMO, ['--root', root, '--workers', '2'], { timeoutMs: 60_000 });
    await demo.waitForLine(/all 2 workers are up/, 'the workers', 45_000);
    demo.interrupt();
    const result = await demo.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(demo.lines.some((l) => /demo\s+stopping \(Ctrl-C\)/.test(l))).toBe(true);
    const pids = startedPids(demo.lines);
    expect(pids).toHaveLength(3);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
