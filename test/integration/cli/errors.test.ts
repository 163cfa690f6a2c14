import { describe, expect, it } from 'vitest';
import { freePort } from '../../../src/testing/index.js';
import { runCli, type ProcessResult } from '../../helpers/cli.js';
import { testClient, testRoot } from '../../helpers/zk.js';

/** A failed command: the exit code, nothing on stdout, and exactly one line on stderr. */
function expectOneLineError(result: ProcessResult, code: number, line: string | RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('rxzk errors', () => {
  it('a missing node exits 1 with the typed one-line message', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-errors');
    for (const command of ['get', 'stat', 'ls', 'rm', 'tree']) {
      expectOneLineError(await runCli([command, `${root}/nope`]), 1, `NoNodeError: ${root}/nope does not exist`);
    }
    expectOneLineError(await runCli(['create', root]), 1, `NodeExistsError: ${root} already exists`);
    expectOneLineError(
      await runCli(['create', `${root}/a/b`]),
      1,
      `NoNodeError: cannot create ${root}/a/b: its parent ${root}/a does not exist (create it first, or pass { parents: true })`,
    );
  });

  it('a bad path is refused before connecting', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    expectOneLineError(
      await runCli(['get', 'relative/path'], { env: { ZK_CONNECT: closed } }),
      1,
      'InvalidPathError: get: invalid path "relative/path": path must start with / at index 0',
    );
    expectOneLineError(
      await runCli(['watch', '/trailing/'], { env: { ZK_CONNECT: closed } }),
      1,
      /^InvalidPathError: watch: invalid path "\/trailing\/": path must not end with \/ at index 9$/,
    );
  });

  it('no server within --timeout exits 1 with OperationTimeoutError', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    expectOneLineError(
      await runCli(['--connect', closed, '--timeout', '1000', 'ls', '/']),
      1,
      `OperationTimeoutError: ready: no session with ${closed} within 1000 ms (state: connecting)`,
    );
    expectOneLineError(
      await runCli(['health', '-t', '1000'], { env: { ZK_CONNECT: closed } }),
      1,
      new RegExp(`^FourLetterError: \\w+ to ${closed}: connect ECONNREFUSED`),
    );
  });

  it('usage mistakes exit 2 with commander\'s message', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'frobnicate'");
    const missing = await runCli(['get']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: missing required argument 'path'");
    const badNumber = await runCli(['set', '/x', 'y', '--if-version', 'two']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain("--if-version must be a whole number >= 0, got 'two'");
  });

  it('--help works for the program and for each command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    const commands = ['get', 'set', 'create', 'rm', 'ls', 'tree', 'stat', 'watch', 'watch-children', 'services', 'leader', 'health'];
    for (const name of commands) expect(top.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    for (const name of commands) {
      const help = await runCli([name, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: rxzk ${name} `));
    }
  });
});
