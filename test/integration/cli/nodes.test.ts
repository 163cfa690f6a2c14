import { describe, expect, it } from 'vitest';
import { digestACL, Perms } from '../../../src/index.js';
import { runCli, startCli } from '../../helpers/cli.js';
import { eventually, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

/** Parses each stdout line as JSON. */
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('rxzk node commands', () => {
  it('create, get, set, ls and rm a node, readable', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-basic');
    const path = `${root}/greeting`;

    const created = await runCli(['create', path, 'hello']);
    expect(created).toMatchObject({ code: 0, stdout: `${path}\n`, stderr: '' });
    expect((await zk.get(path)).data.toString()).toBe('hello');

    expect(await runCli(['get', path])).toMatchObject({ code: 0, stdout: 'hello\n' });

    const set = await runCli(['set', path, 'bonjour']);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(new RegExp(`^${path} version 1, mzxid 0x[0-9a-f]+\\n$`));
    expect((await zk.get(path)).data.toString()).toBe('bonjour');

    await zk.create(`${root}/b`);
    expect(await runCli(['ls', root])).toMatchObject({ code: 0, stdout: 'b\ngreeting\n' });

    expect(await runCli(['rm', path])).toMatchObject({ code: 0, stdout: `deleted ${path}\n` });
    expect(await zk.exists(path)).toBeNull();
  });

  it('get --stat and stat print the metadata, zxids in hex as ZooKeeper writes them', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-stat');
    const stat = await zk.set(root, 'v1');

    const withStat = await runCli(['get', '--stat', root]);
    expect(withStat.code).toBe(0);
    const [data, blank, ...rest] = withStat.stdout.trimEnd().split('\n');
    expect([data, blank]).toEqual(['v1', '']);
    expect(rest).toContain(`mzxid           0x${stat.mzxid.toString(16)}`);

    const result = await runCli(['stat', root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`czxid           0x${stat.czxid.toString(16)}`);
    expect(result.stdout).toContain('version         1');
    expect(result.stdout).toContain('ephemeralOwner  0x0 (persistent)');
    expect(result.stdout).toContain('dataLength      2');
  });

  it('--json prints one object per line, with zxids as decimal strings', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-json');
    const path = `${root}/config`;

    const created = await runCli(['--json', 'create', path, '{"rps":100}']);
    expect(jsonLines(created.stdout)).toEqual([{ path, mode: 'persistent' }]);
    const stat = (await zk.get(path)).stat;

    const [got] = jsonLines((await runCli(['get', path, '--json'])).stdout);
    expect(got).toMatchObject({
      path,
      data: '{"rps":100}',
      stat: { czxid: stat.czxid.toString(), mzxid: stat.mzxid.toString(), version: 0, ephemeralOwner: '0' },
    });

    const [set] = jsonLines((await runCli(['set', path, 'x', '--json'])).stdout);
    const after = (await zk.get(path)).stat;
    expect(set).toEqual({ path, stat: expect.objectContaining({ version: 1, mzxid: after.mzxid.toString() }) });

    expect(jsonLines((await runCli(['ls', root, '--json'])).stdout)).toEqual([{ path: root, children: ['config'] }]);
    const [statLine] = jsonLines((await runCli(['stat', path, '--json'])).stdout);
    expect(statLine).toEqual({ path, stat: expect.objectContaining({ pzxid: after.pzxid.toString(), dataLength: 1 }) });
    expect(jsonLines((await runCli(['rm', path, '--json'])).stdout)).toEqual([{ path, deleted: true }]);
  });

  it('prints data that is not UTF-8 as base64, and --json as dataBase64', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-binary');
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80]);
    await zk.set(root, bytes);
    expect((await runCli(['get', root])).stdout).toBe(`base64:${bytes.toString('base64')}\n`);
    const [got] = jsonLines((await runCli(['get', root, '--json'])).stdout);
    expect(got).toMatchObject({ dataBase64: bytes.toString('base64') });
    expect(got).not.toHaveProperty('data');
  });

  it("set - reads stdin as bytes, less its final newline unless --keep-newline; --if-version guards the write", async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-set');
    expect((await runCli(['set', root, '-'], { input: 'from stdin\n' })).code).toBe(0);
    expect((await zk.get(root)).data.toString()).toBe('from stdin');
    expect((await runCli(['set', root, '-'], { input: 'windows\r\n' })).code).toBe(0);
    expect((await zk.get(root)).data.toString()).toBe('windows');
    expect((await runCli(['set', root, '-'], { input: 'two\n\n' })).code).toBe(0);
    expect((await zk.get(root)).data.toString()).toBe('two\n');
    expect((await runCli(['set', root, '-', '--keep-newline'], { input: 'kept\n' })).code).toBe(0);
    expect((await zk.get(root)).data.toString()).toBe('kept\n');
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x0a]);
    expect((await runCli(['set', root, '-', '-k'], { input: bytes })).code).toBe(0);
    expect((await zk.get(root)).data).toEqual(bytes);

    const version = (await zk.exists(root))!.version;
    const stale = await runCli(['set', root, 'late', '--if-version', String(version - 1)]);
    expect(stale).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `BadVersionError: ${root} is at version ${version}, not at the expected version ${version - 1}\n`,
    });
    expect((await runCli(['set', root, 'on time', '-v', String(version)])).code).toBe(0);
    expect((await zk.get(root)).data.toString()).toBe('on time');
  }, 120_000);

  it('ls of a node without children says so on stderr, and prints nothing', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-ls-leaf');
    expect(await runCli(['ls', root])).toMatchObject({ code: 0, stdout: '', stderr: `${root} has no children\n` });
    expect(await runCli(['ls', root, '--json'])).toMatchObject({ code: 0, stdout: `{"path":"${root}","children":[]}\n`, stderr: '' });
  });

  it('getacl prints the ACL as setacl takes it; --auth authenticates the session', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-acl');
    const path = `${root}/private`;
    await zk.create(path, 'secret');
    expect(await runCli(['getacl', path])).toMatchObject({ code: 0, stdout: 'world:anyone:cdrwa\n' });

    const alice = digestACL('alice', 'pw', Perms.ALL);
    const set = await runCli(['setacl', path, `digest:${alice.id}:cdrwa`, 'world:anyone:c,ip:127.0.0.1:r']);
    expect(set).toMatchObject({ code: 0, stdout: `${path} aversion 1\n` });
    // The server shows a digest's hash only to a session with ADMIN on the node (alice's).
    const entries = (hash: string) => `digest:alice:${hash}:cdrwa\nworld:anyone:c\nip:127.0.0.1:r\n`;
    expect((await runCli(['getacl', path])).stdout).toBe(entries('x'));
    expect((await runCli(['--auth', 'digest:alice:pw', 'getacl', path])).stdout).toBe(entries(alice.id.slice('alice:'.length)));
    const [json] = jsonLines((await runCli(['-a', 'digest:alice:pw', 'getacl', path, '--json'])).stdout);
    expect(json).toMatchObject({
      path,
      acl: [
        { ...alice, permissions: 'cdrwa' },
        { scheme: 'world', id: 'anyone', perms: Perms.CREATE, permissions: 'c' },
        { scheme: 'ip', id: '127.0.0.1', perms: Perms.READ, permissions: 'r' },
      ],
      stat: { aversion: 1 },
    });

    // Reading from 127.0.0.1 is allowed by the ip entry; writing needs alice.
    expect((await runCli(['get', path])).stdout).toBe('secret\n');
    const denied = await runCli(['set', path, 'x']);
    expect(denied).toMatchObject({ code: 1, stdout: '' });
    expect(denied.stderr).toMatch(/^NoAuthError: /);
    expect((await runCli(['--auth', 'digest:alice:pw', 'set', path, 'x'])).code).toBe(0);
    expect((await runCli(['-a', 'digest:alice:pw', 'get', path])).stdout).toBe('x\n');

    const stale = await runCli(['-a', 'digest:alice:pw', 'setacl', path, 'world:anyone:cdrwa', '--if-version', '0']);
    expect(stale).toMatchObject({ code: 1, stdout: '' });
    expect(stale.stderr).toMatch(/^BadVersionError: /);
  }, 120_000);

  it('setacl refuses a malformed entry before connecting (exit 2)', async () => {
    const cases: [string, string][] = [
      ['world:anyone', "'world:anyone' is not scheme:id:perms (e.g. world:anyone:cdrwa)"],
      ['world:anyone:rx', "'world:anyone:rx' has permission 'x'; permissions are letters of cdrwa"],
      ['world:anyone:', "'world:anyone:' gives no permission; permissions are letters of cdrwa"],
    ];
    for (const [entry, why] of cases) {
      expect(await runCli(['setacl', '/x', entry])).toMatchObject({
        code: 2,
        stdout: '',
        stderr: `InvalidArgumentError: setacl /x: ${why}\n`,
      });
    }
  }, 120_000);

  it('under a namespace, only create makes the namespace: reads and changes create nothing', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-chroot');
    const env = { env: { ZK_CONNECT: `${sharedConnectString()}${root}/typo` } };
    for (const args of [['get', '/x'], ['ls', '/'], ['stat', '/x'], ['tree', '/'], ['getacl', '/x'], ['set', '/x', 'v'], ['rm', '/x']]) {
      const result = await runCli(args, env);
      expect(result, args.join(' ')).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(new RegExp(`^NoNodeError: .* does not exist \\(nor does the namespace ${root}/typo: only create makes it\\)\\n$`));
    }
    const watch = await runCli(['watch', '/x', '--count', '1'], env);
    expect(watch.code).toBe(0);
    expect(watch.stdout).toMatch(/\/x {2}\(does not exist\)\n$/);
    expect(watch.stderr).toBe(`the namespace ${root}/typo does not exist (only create makes it)\n`);
    for (const args of [['services', '/s'], ['leader', '/e'], ['watch-children', '/', '-n', '1']]) {
      expect((await runCli(args, env)).code, args.join(' ')).toBe(0);
    }
    expect(await zk.getChildren(root)).toEqual([]);

    expect(await runCli(['create', '/x', 'here'], env)).toMatchObject({ code: 0, stdout: '/x\n' });
    expect((await zk.get(`${root}/typo/x`)).data.toString()).toBe('here');
    expect(await runCli(['get', '/x'], env)).toMatchObject({ code: 0, stdout: 'here\n', stderr: '' });
  }, 120_000);

  it('create --sequential and --parents', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-create');
    const first = await runCli(['create', '--sequential', `${root}/q/item-`, '--parents']);
    const second = await runCli(['create', '-s', `${root}/q/item-`]);
    expect(first.stdout).toBe(`${root}/q/item-0000000000\n`);
    expect(second.stdout).toBe(`${root}/q/item-0000000001\n`);
    expect(await zk.getChildren(`${root}/q`)).toEqual(['item-0000000000', 'item-0000000001']);
  });

  it('create --ephemeral holds the node until Ctrl-C, then the node goes with the session', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-ephemeral');
    const path = `${root}/me`;
    const holder = startCli(['create', '--ephemeral', path, 'here']);
    await holder.waitForLine((line) => line === path, 'the created path');
    const stat = await zk.exists(path);
    expect(stat?.ephemeralOwner).not.toBe('0');
    // It keeps holding it: the node is still there after the command printed its result.
    await eventually(() => holder.errorLines.some((l) => l.includes('Ctrl-C deletes it')), 'the holding note');
    expect(await zk.exists(path)).not.toBeNull();

    holder.interrupt();
    expect((await holder.exited).code).toBe(0);
    expect(await zk.exists(path)).toBeNull();
  });

  it('rm --recursive deletes the subtree; without it a node with children is refused', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-rm');
    await zk.create(`${root}/a/b/c`, 'x', { parents: true });
    const refused = await runCli(['rm', `${root}/a`]);
    expect(refused).toMatchObject({ code: 1, stderr: `NotEmptyError: ${root}/a has children\n` });
    expect(await zk.exists(`${root}/a/b/c`)).not.toBeNull();

    expect((await runCli(['rm', '-r', `${root}/a`])).code).toBe(0);
    expect(await zk.exists(`${root}/a`)).toBeNull();
  });

  it('tree draws the subtree with data previews; --json gives one node a line', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-tree');
    await zk.create(`${root}/app/config`, '{"rps":1}', { parents: true });
    await zk.create(`${root}/app/services`);
    await zk.create(`${root}/z`, 'last');

    const drawn = await runCli(['tree', root]);
    expect(drawn.code).toBe(0);
    expect(drawn.stdout.split('\n')).toEqual([
      root,
      '├── app',
      '│   ├── config = "{\\"rps\\":1}"',
      '│   └── services',
      '└── z = "last"',
      '',
    ]);

    const nodes = jsonLines((await runCli(['tree', root, '--json'])).stdout);
    expect(nodes.map((n) => n['path'])).toEqual([root, `${root}/app`, `${root}/app/config`, `${root}/app/services`, `${root}/z`]);
    expect(nodes[2]).toMatchObject({ data: '{"rps":1}', stat: { version: 0 } });
  });
});
