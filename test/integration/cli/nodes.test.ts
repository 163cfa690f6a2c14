import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../helpers/cli.js';
import { eventually, testClient, testRoot } from '../../helpers/zk.js';

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

  it("set - reads the data from stdin, and --if-version guards the write", async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-set');
    expect((await runCli(['set', root, '-'], { input: 'from stdin\n' })).code).toBe(0);
    expect((await zk.get(root)).data.toString()).toBe('from stdin\n');

    const stale = await runCli(['set', root, 'late', '--if-version', '0']);
    expect(stale).toMatchObject({ code: 1, stdout: '', stderr: `BadVersionError: ${root} is at version 1, not at the expected version 0\n` });
    expect((await runCli(['set', root, 'on time', '-v', '1'])).code).toBe(0);
    expect((await zk.get(root)).data.toString()).toBe('on time');
  });

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
