import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort, startZooKeeper } from '../../../src/testing/index.js';
import { runCli, type ProcessResult } from '../../helpers/cli.js';
import { silentServer } from '../../helpers/silent-server.js';
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
    for (const command of ['get', 'stat', 'ls', 'rm', 'tree', 'getacl']) {
      expectOneLineError(await runCli([command, `${root}/nope`]), 1, `NoNodeError: ${root}/nope does not exist`);
    }
    expectOneLineError(await runCli(['create', root]), 1, `NodeExistsError: ${root} already exists`);
    expectOneLineError(
      await runCli(['create', `${root}/a/b`]),
      1,
      `NoNodeError: cannot create ${root}/a/b: its parent ${root}/a does not exist (create it first, or pass { parents: true })`,
    );
  }, 120_000);

  it('a bad path or connect string is a usage mistake: exit 2 before connecting', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    expectOneLineError(
      await runCli(['get', 'relative/path'], { env: { ZK_CONNECT: closed } }),
      2,
      'InvalidPathError: get: invalid path "relative/path": path must start with / at index 0',
    );
    expectOneLineError(
      await runCli(['watch', '/trailing/'], { env: { ZK_CONNECT: closed } }),
      2,
      /^InvalidPathError: watch: invalid path "\/trailing\/": path must not end with \/ at index 9$/,
    );
    expectOneLineError(
      await runCli(['--connect', 'localhost', 'ls', '/']),
      2,
      'InvalidArgumentError: connect: "localhost" in the connect string is not host:port',
    );
    expectOneLineError(
      await runCli(['health'], { env: { ZK_CONNECT: '127.0.0.1:99999' } }),
      2,
      'InvalidArgumentError: connect: "127.0.0.1:99999" in the connect string has port 99999; a port is 1 to 65535',
    );
    expectOneLineError(
      await runCli(['ls', '/'], { env: { ZK_CONNECT: `${closed}/bad/` } }),
      2,
      /^InvalidPathError: connect: chroot: invalid path "\/bad\/"/,
    );
  }, 120_000);

  it('a server that cannot be reached: exit 1 at once with the reason, not after --timeout', async () => {
    // --timeout is far longer than the test lets the process run: only failing at once passes.
    const closed = `127.0.0.1:${await freePort()}`;
    const patient = ['--timeout', '600000'];
    expectOneLineError(
      await runCli([...patient, '--connect', closed, 'ls', '/'], { timeoutMs: 30_000 }),
      1,
      `ConnectError: cannot connect to ${closed}: connect ECONNREFUSED ${closed}`,
    );
    const other = `127.0.0.1:${await freePort()}`;
    expectOneLineError(
      await runCli([...patient, 'get', '/x'], { env: { ZK_CONNECT: `${closed},${other}` }, timeoutMs: 30_000 }),
      1,
      new RegExp(`^ConnectError: cannot connect to any of ${closed},${other}: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`),
    );
    expectOneLineError(
      await runCli([...patient, '--connect', 'no-such-host.invalid:2181', 'stat', '/'], { timeoutMs: 30_000 }),
      1,
      /^ConnectError: cannot connect to no-such-host\.invalid:2181: getaddrinfo (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid$/,
    );
    expectOneLineError(
      await runCli(['health', '-t', '1000'], { env: { ZK_CONNECT: closed } }),
      1,
      new RegExp(`^FourLetterError: \\w+ to ${closed}: connect ECONNREFUSED`),
    );
  }, 120_000);

  it('a server that accepts but never answers: exit 1 with OperationTimeoutError after --timeout', async () => {
    const address = await silentServer();
    expectOneLineError(
      await runCli(['--connect', address, '--timeout', '1000', 'ls', '/']),
      1,
      `OperationTimeoutError: ready: no session with ${address} within 1000 ms (state: connecting)`,
    );
  });

  it('credentials: a malformed --auth is a usage mistake; a scheme the server rejects exits 1', async () => {
    const malformed = await runCli(['--auth', 'nocolon', 'ls', '/']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("--auth must be scheme:credentials, e.g. digest:alice:secret, got 'nocolon'");
    expectOneLineError(
      await runCli(['--auth', 'no-such-scheme:x', 'ls', '/']),
      1,
      "AuthFailedError: ready: the server rejected the client's credentials",
    );
  });

  it('rm refuses / and /zookeeper before deleting anything (exit 2)', async () => {
    // Its own server: were the refusal to fail, `rm -r /` would empty the shared one.
    const server = await startZooKeeper();
    onTestFinished(() => server.stop());
    const zk = await testClient({ connectString: server.connectString });
    await zk.create('/keep/me', 'x', { parents: true });
    const env = { env: { ZK_CONNECT: server.connectString } };
    for (const args of [['rm', '-r', '/'], ['rm', '/']]) {
      expectOneLineError(
        await runCli(args, env),
        2,
        'InvalidArgumentError: rm /: refusing to delete the root of the tree; delete the nodes under it by name',
      );
    }
    for (const path of ['/zookeeper', '/zookeeper/quota']) {
      expectOneLineError(
        await runCli(['rm', '-r', path], env),
        2,
        `InvalidArgumentError: rm ${path}: refusing to touch /zookeeper, ZooKeeper's own subtree (quotas, ensemble configuration)`,
      );
    }
    expectOneLineError(
      await runCli(['rm', '-r', '/'], { env: { ZK_CONNECT: `${server.connectString}/keep` } }),
      2,
      'InvalidArgumentError: rm /: refusing to delete the namespace /keep itself; delete the nodes under it by name',
    );
    expect((await zk.get('/keep/me')).data.toString()).toBe('x');
    expect(await zk.getChildren('/zookeeper')).toEqual(expect.arrayContaining(['quota']));
    // Under a namespace, a node named zookeeper is an ordinary node.
    await zk.create('/keep/zookeeper');
    expect((await runCli(['rm', '/zookeeper'], { env: { ZK_CONNECT: `${server.connectString}/keep` } })).code).toBe(0);
    expect(await zk.exists('/keep/zookeeper')).toBeNull();
  }, 120_000);

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

  it('--help works for the program and for each command, and shows the global options', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    const commands = [
      'get', 'set', 'create', 'rm', 'ls', 'tree', 'stat', 'getacl', 'setacl',
      'watch', 'watch-children', 'services', 'leader', 'health',
    ];
    for (const name of commands) expect(top.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    // Five at a time: each is a whole process start.
    const helps = new Map<string, ProcessResult>();
    for (let i = 0; i < commands.length; i += 5) {
      const batch = commands.slice(i, i + 5);
      const results = await Promise.all(batch.map((name) => runCli([name, '--help'])));
      batch.forEach((name, j) => helps.set(name, results[j]!));
    }
    for (const name of commands) {
      const help = helps.get(name)!;
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: rxzk ${name} `));
      expect(help.stdout).toMatch(/^Global Options:$/m);
      for (const option of ['--connect <hosts>', '--json', '--timeout <ms>', '--auth <scheme:credentials>']) {
        expect(help.stdout, `${name} --help`).toContain(option);
      }
    }
  }, 180_000);
});
