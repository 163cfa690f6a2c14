import { describe, expect, it } from 'vitest';
import { freePort } from '../../../src/testing/index.js';
import { runCli, startCli } from '../../helpers/cli.js';
import { eventually, testClient, testRoot } from '../../helpers/zk.js';

describe('rxzk watch', () => {
  it('streams every change of a node until Ctrl-C', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-watch');
    const path = `${root}/flag`;
    const watch = startCli(['watch', path]);
    await watch.waitForLine(/\(does not exist\)$/, 'the missing node');

    await zk.create(path, 'on');
    await watch.waitForLine((l) => l.endsWith(`${path}  "on"  version 0`), 'created');
    await zk.set(path, 'off');
    await watch.waitForLine((l) => l.endsWith(`${path}  "off"  version 1`), 'changed');
    await zk.delete(path);
    await watch.waitForLine((l) => l.endsWith('(does not exist)'), 'deleted', 20_000, 3);

    watch.interrupt();
    const result = await watch.exited;
    expect(result.code).toBe(0);
    expect(watch.lines.map((l) => l.replace(/^\d\d:\d\d:\d\d\.\d{3}  /, ''))).toEqual([
      `${path}  (does not exist)`,
      `${path}  "on"  version 0`,
      `${path}  "off"  version 1`,
      `${path}  (does not exist)`,
    ]);
  });

  it('--json --count stops after that many values', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-watch-json');
    await zk.set(root, 'one');
    const watch = startCli(['watch', root, '--json', '--count', '2']);
    await watch.waitForLine(/"data":"one"/, 'the current value');
    const stat = await zk.set(root, 'two');
    const result = await watch.exited;
    expect(result.code).toBe(0);
    const values = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(values).toHaveLength(2);
    expect(values[1]).toMatchObject({ path: root, data: 'two', stat: { version: stat.version, mzxid: stat.mzxid.toString() } });
    expect(Date.parse(values[1]!['time'] as string)).not.toBeNaN();
  });

  it('watch-children reports each list with what was added and removed', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-watch-children');
    await zk.create(`${root}/a`);
    const watch = startCli(['watch-children', root, '--json']);
    await watch.waitForLine(/"children":\["a"\]/, 'the first list');
    await zk.create(`${root}/b`);
    await watch.waitForLine(/"added":\["b"\]/, 'b added');
    await zk.delete(`${root}/a`);
    await watch.waitForLine(/"removed":\["a"\]/, 'a removed');
    watch.interrupt();
    expect((await watch.exited).code).toBe(0);
    const events = watch.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map(({ children, added, removed }) => ({ children, added, removed }))).toEqual([
      { children: ['a'], added: [], removed: [] },
      { children: ['a', 'b'], added: ['b'], removed: [] },
      { children: ['b'], added: [], removed: ['a'] },
    ]);
  });

  it('watch-children readable: the list and +/- changes', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-watch-children-text');
    const watch = startCli(['watch-children', root, '-n', '2']);
    await watch.waitForLine((l) => l.endsWith(`${root}  []`), 'the empty list');
    await zk.create(`${root}/x`);
    expect((await watch.exited).code).toBe(0);
    expect(watch.lines[1]).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  ${root}  \\[x\\]  \\+x$`));
  });
});

describe('rxzk health', () => {
  it("reports the server's mode, latency and counts, readable and --json", async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-health');
    // A watch of our own, so the server has at least one to count.
    const watch = startCli(['watch', root]);
    await watch.waitForLine(/version/, 'the watch is set');

    const text = await runCli(['health']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^127\.0\.0\.1:\d+  standalone  ZooKeeper 3\.\d+\.\d+$/m);
    expect(text.stdout).toMatch(/^ {2}latency {6}min \d+ \/ avg [\d.]+ \/ max \d+ ms$/m);

    const [health] = (await runCli(['health', '--json'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(health).toMatchObject({ ok: true, mode: 'standalone', outstanding: expect.any(Number) });
    expect(health!['watches']).toBeGreaterThanOrEqual(1);
    expect(health!['znodes']).toBeGreaterThanOrEqual(2);
    expect(health!['zxid']).toMatch(/^\d+$/);
    watch.interrupt();
    expect((await watch.exited).code).toBe(0);
  });

  it('--watch stamps every round with its time, readable and --json', async () => {
    const text = startCli(['health', '--watch', '--interval', '1']);
    const first = await text.waitForLine(/standalone/, 'a first round');
    await text.waitForLine((line) => line !== first && / standalone /.test(line), 'a second round');
    text.interrupt();
    expect((await text.exited).code).toBe(0);
    const heads = text.lines.filter((line) => !line.startsWith('  '));
    expect(heads.length).toBeGreaterThanOrEqual(2);
    for (const head of heads) expect(head).toMatch(/^\d\d:\d\d:\d\d\.\d{3} {2}127\.0\.0\.1:\d+ {2}standalone {2}ZooKeeper /);

    const json = startCli(['health', '--watch', '--json', '--interval', '1']);
    await json.waitForLine(/"time"/, 'a --json round');
    json.interrupt();
    expect((await json.exited).code).toBe(0);
    const record = JSON.parse(json.lines[0]!) as Record<string, unknown>;
    expect(record['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(record).toMatchObject({ ok: true, mode: 'standalone' });
  });

  it('--watch stamps an unreachable server on stderr', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const watch = startCli(['health', '--watch', '--interval', '1', '--timeout', '1000'], { env: { ZK_CONNECT: closed } });
    await eventually(() => watch.errorLines.length >= 1, 'a failed round');
    watch.interrupt();
    expect((await watch.exited).code).toBe(0);
    expect(watch.errorLines[0]).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} {2}FourLetterError: \\w+ to ${closed}: connect ECONNREFUSED`));
  });
});
