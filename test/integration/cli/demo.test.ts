import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { spawnScript } from '../../helpers/cli.js';
import { eventually, sharedConnectString, testClient } from '../../helpers/zk.js';

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
  it('answers --help with its usage (exit 0), an unknown option with the usage and exit 2', async () => {
    const help = await spawnScript(DEMO, ['--help']).exited;
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: npm run demo \[-- options\]\n/);
    for (const [args, message] of [
      [['--bogus'], "Unknown option '--bogus'"],
      [['--workers', '12'], 'invalid options: --duration > 0, --workers from 2 to 9'],
    ] as const) {
      const result = await spawnScript(DEMO, args).exited;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.startsWith(message), result.stderr).toBe(true);
      expect(result.stderr).toContain('Usage: npm run demo');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });

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
    // Until its session expires, its node heads the election: shown as gone, not as a leader.
    const gone = after.findIndex((l) => new RegExp(`\\sleader\\s+${killed}'s process is gone: nobody leads until its session expires$`).test(l));
    const handoverAt = after.findIndex((l) => /\sleader\s+(w\d) \(was (w\d)\)/.test(l));
    expect(gone, 'the killed leader shown as gone').toBeGreaterThanOrEqual(0);
    expect(handoverAt, 'a new leader after the kill').toBeGreaterThan(gone);
    const handover = /\sleader\s+(w\d) \(was (w\d)\)/.exec(after[handoverAt]!)!;
    expect(handover[2]).toBe(killed);
    expect(handover[1]).not.toBe(killed);
    expect(after.some((l) => new RegExp(`services\\s+${killed} left$`).test(l))).toBe(true);

    // Every fault shows once in the default order: config, a crash and restart, the cut connection.
    const config = lines.findIndex((l, i) => i > kill && /fault\s+config changed to rev 2 /.test(l));
    const restart = lines.findIndex((l, i) => i > config && /fault\s+w\d \(pid \d+\) crashes and restarts at once/.test(l));
    const cut = lines.findIndex((l, i) => i > restart && /fault\s+cutting the dashboard's connection/.test(l));
    const suspended = lines.findIndex((l, i) => i > cut && /connection suspended \(session 0x[0-9a-f]+\)$/.test(l));
    const reconnected = lines.findIndex((l, i) => i > suspended && /connection reconnected \(session 0x[0-9a-f]+\)$/.test(l));
    expect([config, restart, cut, suspended, reconnected].every((i) => i > kill), lines.join('\n')).toBe(true);
    for (const w of ['w1', 'w2', 'w3']) {
      expect(lines.some((l, i) => i > config && new RegExp(`${w}\\s+applied config rev 2 `).test(l)), w).toBe(true);
    }

    // Lock holders and waiters are named by instance, never by session id.
    const lockLines = lines.filter((l) => /Z {2}lock {7}/.test(l));
    expect(lockLines.length).toBeGreaterThan(0);
    expect(lockLines.filter((l) => l.includes('session 0x'))).toEqual([]);

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

describe('the dashboard on a terminal', () => {
  it('draws its frame in a terminal that reports no size (0x0), the connection state on top', async () => {
    // `script` gives the dashboard a pseudo-terminal; with no terminal of its own to copy, the
    // size it reports is 0x0.
    const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (script.status !== 0) throw new Error(`this test needs util-linux's script(1) (Debian: bsdutils): ${script.error?.message ?? script.stderr}`);
    const zk = await testClient();
    const root = `/rxzk-test/dashboard-tty-${randomUUID()}`;
    await zk.create(`${root}/config`, '{"rev":1}', { parents: true });
    onTestFinished(() => zk.delete(root, { recursive: true }).catch(() => undefined));
    const dashboard = fileURLToPath(new URL('../../../demos/dashboard/dashboard.ts', import.meta.url));
    const command = `node -e 'console.error("size", process.stdout.columns, process.stdout.rows)' && exec node --import tsx ${dashboard} --connect ${sharedConnectString()} --root ${root}`;
    const tty = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    onTestFinished(() => void tty.kill('SIGKILL'));
    let output = '';
    tty.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => tty.once('close', resolve));
    const screen = () => output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    await eventually(() => /connection {2}connected {2}session 0x/.test(screen()), 'a frame with the connection state', 45_000);
    expect(screen()).toMatch(/size 0 0/);
    expect(screen()).toMatch(/rxzk live demo {2}up \d\d:\d\d · Ctrl-C stops/);
    expect(screen()).toContain('config      {"rev":1}');
    // Every line of a frame fits 80 columns.
    for (const line of screen().split(/\r?\n/)) expect(line.length, line).toBeLessThanOrEqual(80);
    tty.kill('SIGTERM');
    await exited;
  }, 90_000);
});
