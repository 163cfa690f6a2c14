import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATOR_ALL_ACL, digestACL, OPEN_ACL_UNSAFE } from '../../../src/model/acl.js';
import { InvalidArgumentError, UnimplementedError } from '../../../src/errors/zk-error.js';
import { startZooKeeper, type TestingZooKeeper } from '../../../src/testing/index.js';
import { CreateMode } from '../../../src/wire/create-modes.js';
import { ErrorCode } from '../../../src/wire/error-codes.js';
import { AddWatchMode, WatcherType } from '../../../src/wire/event-types.js';
import { WireSession } from '../../../src/wire/wire-session.js';
import { withTimeout } from '../../helpers/waiting.js';
import { fails, op, testSession } from '../../helpers/wire-session.js';
import { eventually, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

async function root(name: string): Promise<string> {
  return testRoot(await testClient(), `wire-${name}`);
}

describe('WireSession operations against ZooKeeper 3.8', () => {
  it('create, getData, setData, exists and delete, with the server\'s errors', async () => {
    const s = await testSession();
    const base = await root('crud');
    const created = await op(s, 'create', `${base}/n`, Buffer.from('v0'), OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    expect(created).toEqual({ path: `${base}/n`, stat: null });

    const read = await op(s, 'getData', `${base}/n`, null);
    expect(read.data).toEqual(Buffer.from('v0'));
    expect(read.stat).toMatchObject({ version: 0, dataLength: 2, numChildren: 0, ephemeralOwner: '0' });
    expect(typeof read.stat.czxid).toBe('bigint');
    expect(read.stat.ctime).toBeGreaterThan(1_600_000_000_000);

    const written = await op(s, 'setData', `${base}/n`, Buffer.from('v1!'), 0);
    expect(written).toMatchObject({ version: 1, dataLength: 3 });
    expect(written.mzxid).toBeGreaterThan(read.stat.mzxid);
    expect(await op(s, 'exists', `${base}/n`, null)).toEqual(written);
    expect(s.lastZxid).toBeGreaterThanOrEqual(written.mzxid);

    const stale = await fails(s, 'setData', `${base}/n`, null, 0);
    expect(stale).toMatchObject({ code: ErrorCode.badVersion, path: `${base}/n` });
    const exists = await fails(s, 'create', `${base}/n`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    expect(exists.code).toBe(ErrorCode.nodeExists);
    await op(s, 'create', `${base}/n/child`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    expect((await fails(s, 'delete', `${base}/n`, -1)).code).toBe(ErrorCode.notEmpty);
    await op(s, 'delete', `${base}/n/child`, 0);
    await op(s, 'delete', `${base}/n`, -1);

    expect(await op(s, 'exists', `${base}/n`, null)).toBeNull();
    const missing = await fails(s, 'getData', `${base}/n`, null);
    expect(missing).toMatchObject({ code: ErrorCode.noNode, path: `${base}/n`, message: `getData ${base}/n: noNode (-101)` });
    expect((await fails(s, 'delete', `${base}/n`, -1)).code).toBe(ErrorCode.noNode);
  });

  it('creates every 3.4 and 3.5 mode, with the stat when asked (create2)', async () => {
    const s = await testSession();
    const base = await root('modes');
    const eph = await op(s, 'create', `${base}/e`, null, OPEN_ACL_UNSAFE, CreateMode.ephemeral, { withStat: true });
    expect(eph.stat?.ephemeralOwner).toBe(s.sessionIdHex);
    expect(eph.stat).toEqual(await op(s, 'exists', `${base}/e`, null));
    const seq = await op(s, 'create', `${base}/s-`, null, OPEN_ACL_UNSAFE, CreateMode.persistentSequential, {});
    expect(seq.path).toMatch(new RegExp(`^${base}/s-\\d{10}$`));
    const eseq = await op(s, 'create', `${base}/es-`, null, OPEN_ACL_UNSAFE, CreateMode.ephemeralSequential, { withStat: true });
    expect(eseq.path).toMatch(/es-\d{10}$/);
    const container = await op(s, 'create', `${base}/c`, Buffer.from('x'), OPEN_ACL_UNSAFE, CreateMode.container, {});
    // A container comes with its stat (createContainer answers as create2 does); the server
    // shows clients no owner for it (it keeps a marker there).
    expect(container.stat).toMatchObject({ ephemeralOwner: '0', dataLength: 1 });
    const empty = await op(s, 'create', `${base}/empty`, Buffer.alloc(0), OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    expect(empty.path).toBe(`${base}/empty`);
    expect((await op(s, 'getData', `${base}/empty`, null)).stat.dataLength).toBe(0);
  });

  it('children, with and without the stat, and counted by the server', async () => {
    const s = await testSession();
    const base = await root('children');
    for (const name of ['b', 'a', 'é']) {
      await op(s, 'create', `${base}/${name}`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    }
    await op(s, 'create', `${base}/a/deep`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    expect((await op(s, 'getChildren', base, null)).sort()).toEqual(['a', 'b', 'é']);
    const two = await op(s, 'getChildren2', base, null);
    expect(two.children.sort()).toEqual(['a', 'b', 'é']);
    expect(two.stat.numChildren).toBe(3);
    expect(await op(s, 'getAllChildrenNumber', base)).toBe(4);
    expect((await fails(s, 'getChildren', `${base}/zz`, null)).code).toBe(ErrorCode.noNode);
  });

  it('ACLs and credentials: getACL, setACL, addAuth, whoAmI, and NoAuth for another session', async () => {
    const s = await testSession();
    const base = await root('acl');
    const auth = new Promise<void>((resolve, reject) => s.addAuth('digest', Buffer.from('wire:secret'), (e) => (e ? reject(e) : resolve())));
    await withTimeout(auth, 10_000, 'no answer to addAuth');
    const identities = await op(s, 'whoAmI');
    expect(identities).toContainEqual({ scheme: 'digest', id: 'wire' });
    expect(identities).toContainEqual({ scheme: 'ip', id: '127.0.0.1' });

    await op(s, 'create', `${base}/private`, Buffer.from('p'), CREATOR_ALL_ACL, CreateMode.persistent, {});
    const acl = await op(s, 'getACL', `${base}/private`);
    expect(acl.acl).toEqual([digestACL('wire', 'secret')]);
    expect(acl.stat.aversion).toBe(0);

    const other = await testSession();
    expect((await fails(other, 'getData', `${base}/private`, null)).code).toBe(ErrorCode.noAuth);

    const opened = await op(s, 'setACL', `${base}/private`, OPEN_ACL_UNSAFE, 0);
    expect(opened.aversion).toBe(1);
    expect((await op(other, 'getData', `${base}/private`, null)).data).toEqual(Buffer.from('p'));
    expect((await fails(s, 'setACL', `${base}/private`, OPEN_ACL_UNSAFE, 0)).code).toBe(ErrorCode.badVersion);
  });

  it('sync answers with its path', async () => {
    const s = await testSession();
    const base = await root('sync');
    expect(await op(s, 'sync', base)).toBe(base);
  });

  it('multi: every step kind applied at once, and a failed step fails all with its code and every result', async () => {
    const s = await testSession();
    const base = await root('multi');
    await op(s, 'create', `${base}/old`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(s, 'create', `${base}/n`, Buffer.from('0'), OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    const results = await op(s, 'multi', [
      { type: 'check', path: `${base}/n`, version: 0 },
      { type: 'create', path: `${base}/a`, data: Buffer.from('a'), acl: OPEN_ACL_UNSAFE, mode: CreateMode.persistent },
      { type: 'create', path: `${base}/b-`, data: null, acl: OPEN_ACL_UNSAFE, mode: CreateMode.persistentSequential, withStat: true },
      { type: 'create', path: `${base}/c`, data: null, acl: OPEN_ACL_UNSAFE, mode: CreateMode.container },
      { type: 'setData', path: `${base}/n`, data: Buffer.from('1'), version: 0 },
      { type: 'delete', path: `${base}/old`, version: -1 },
    ]);
    expect(results.map((r) => r.type)).toEqual(['check', 'create', 'create', 'create', 'setData', 'delete']);
    expect(results[1]).toEqual({ type: 'create', path: `${base}/a`, stat: null });
    // create2 inside a multi: a 3.8 server answers as for create, without the stat (it comes
    // from 3.9 on, ZOOKEEPER-4026).
    expect(results[2]).toMatchObject({ type: 'create', path: expect.stringMatching(/b-\d{10}$/), stat: null });
    expect(results[3]).toMatchObject({ type: 'create', path: `${base}/c` });
    expect((results[4] as { stat: { version: number } }).stat.version).toBe(1);

    const failed = await new Promise<{ error: unknown; results: unknown }>((resolve) =>
      s.multi(
        [
          { type: 'create', path: `${base}/x`, data: null, acl: OPEN_ACL_UNSAFE, mode: CreateMode.persistent },
          { type: 'check', path: `${base}/n`, version: 0 },
          { type: 'delete', path: `${base}/a`, version: -1 },
        ],
        (error, res) => resolve({ error, results: res }),
      ),
    );
    expect(failed.error).toMatchObject({ code: ErrorCode.badVersion, path: `${base}/n` });
    expect(failed.results).toEqual([
      { type: 'error', code: 0 },
      { type: 'error', code: ErrorCode.badVersion },
      { type: 'error', code: ErrorCode.runtimeInconsistency },
    ]);
    expect(await op(s, 'exists', `${base}/x`, null)).toBeNull();
    expect(await op(s, 'exists', `${base}/a`, null)).not.toBeNull();
  });

  it('multiRead: each read\'s result or error', async () => {
    const s = await testSession();
    const base = await root('multi-read');
    await op(s, 'create', `${base}/d`, Buffer.from('data'), OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    const results = await op(s, 'multiRead', [
      { type: 'getData', path: `${base}/d` },
      { type: 'getChildren', path: base },
      { type: 'getData', path: `${base}/missing` },
    ]);
    expect(results[0]).toMatchObject({ type: 'getData', data: Buffer.from('data') });
    expect(results[1]).toEqual({ type: 'getChildren', children: ['d'] });
    expect(results[2]).toEqual({ type: 'error', code: ErrorCode.noNode });
  });

  it('getEphemerals lists this session\'s ephemeral nodes under a prefix', async () => {
    const s = await testSession();
    const base = await root('ephemerals');
    await op(s, 'create', `${base}/e1`, null, OPEN_ACL_UNSAFE, CreateMode.ephemeral, {});
    await op(s, 'create', `${base}/e2`, null, OPEN_ACL_UNSAFE, CreateMode.ephemeral, {});
    await op(s, 'create', `${base}/p`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    expect((await op(s, 'getEphemerals', base)).sort()).toEqual([`${base}/e1`, `${base}/e2`]);
    expect(await op(s, 'getEphemerals', `${base}/e2`)).toEqual([`${base}/e2`]);
  });

  it('getConfig reads the configuration node', async () => {
    const s = await testSession();
    const config = await op(s, 'getConfig', null);
    expect(config.stat).toBeDefined();
  });

  it('learns the server version with srvr, and sends what 3.8 has', async () => {
    const s = await testSession();
    await eventually(() => s.serverVersion !== null, 'the answer to srvr');
    expect(s.serverVersion).toMatchObject({ major: 3, minor: 8 });
    const base = await root('version');
    await op(s, 'addWatch', base, AddWatchMode.persistent, () => {});
    await op(s, 'removeWatches', base, WatcherType.any, null);
  });

  it('a request made before the server\'s version is known waits for it, then goes', async () => {
    const s = new WireSession(sharedConnectString(), { sessionTimeoutMs: 6000 });
    const result = op(s, 'getAllChildrenNumber', '/');
    s.start();
    try {
      expect(await withTimeout(result, 20_000, 'getAllChildrenNumber never answered')).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });

  it('refuses locally, never sending it, what a server of the given version lacks', async () => {
    const s = await testSession({ serverVersion: '3.4.14' });
    const base = await root('refused');
    let disconnected = false;
    s.on('disconnected', () => (disconnected = true));
    const refusals = [
      await fails(s, 'addWatch', base, AddWatchMode.persistentRecursive, () => {}),
      await fails(s, 'create', `${base}/c`, null, OPEN_ACL_UNSAFE, CreateMode.container, {}),
      await fails(s, 'create', `${base}/s`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, { withStat: true }),
      await fails(s, 'whoAmI'),
      await fails(s, 'multiRead', [{ type: 'getData', path: base }]),
      await fails(s, 'getEphemerals', '/'),
    ];
    for (const error of refusals) {
      expect(error).toBeInstanceOf(UnimplementedError);
      expect(error.code).toBe(-6);
    }
    expect(refusals[0]!.message).toBe(
      `addWatch ${base}: the server (ZooKeeper 3.4.14) does not implement addWatch, which needs ZooKeeper 3.6.0; it was not sent`,
    );
    expect(refusals[1]).toMatchObject({ feature: 'createContainer', requiredVersion: '3.5.1', serverVersion: '3.4.14' });
    // Had they been sent, this 3.8 server would have done them: nothing of them is there.
    expect(await op(s, 'exists', `${base}/c`, null)).toBeNull();
    expect(await op(s, 'exists', `${base}/s`, null)).toBeNull();
    expect(await op(s, 'create', `${base}/ok`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {})).toMatchObject({ path: `${base}/ok` });
    expect(disconnected).toBe(false);
    expect(s.state).toBe('connected');
  });

  it('throws at the call on bad input, sending nothing', async () => {
    const s = await testSession();
    const base = await root('bad-input');
    expect(() => s.create(`${base}/t`, null, OPEN_ACL_UNSAFE, CreateMode.persistentWithTTL, {}, () => {})).toThrow(InvalidArgumentError);
    expect(() => s.create(`${base}/t`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, { ttlMs: 10 }, () => {})).toThrow(
      `create ${base}/t: ttlMs is only for the TTL modes (5, 6), not mode 0`,
    );
    expect(() => s.create(`${base}/t`, null, OPEN_ACL_UNSAFE, 9 as never, {}, () => {})).toThrow(/unknown create mode 9/);
    expect(() => s.setData(`${base}/t`, null, 1.5, () => {})).toThrow(/version must be an integer/);
    expect(() => s.getData(42 as never, null, () => {})).toThrow('getData: path must be a string, got number');
    expect(() => s.removeWatches(base, 7 as never, null, () => {})).toThrow(/watcher type must be/);
    expect(await op(s, 'exists', `${base}/t`, null)).toBeNull();
  });
});

describe('WireSession and TTL nodes (a server with zookeeper.extendedTypesEnabled)', () => {
  let server: TestingZooKeeper;
  beforeAll(async () => {
    server = await startZooKeeper({ servers: 1, source: 'local', jvmOptions: ['-Dzookeeper.extendedTypesEnabled=true'] });
  });
  afterAll(() => server?.stop());

  it('creates TTL nodes, sequential or not, alone or in a multi', async () => {
    const s = await testSession({ connectString: server.connectString });
    // A server without extended types answers createTTL with unimplemented (-6): this one takes it.
    const ttl = await op(s, 'create', '/ttl', Buffer.from('t'), OPEN_ACL_UNSAFE, CreateMode.persistentWithTTL, { ttlMs: 5000 });
    expect(ttl).toMatchObject({ path: '/ttl', stat: { dataLength: 1, ephemeralOwner: '0' } });
    const seq = await op(s, 'create', '/ttl-', null, OPEN_ACL_UNSAFE, CreateMode.persistentSequentialWithTTL, { ttlMs: 1 });
    expect(seq.path).toMatch(/^\/ttl-\d{10}$/);
    const results = await op(s, 'multi', [
      { type: 'create', path: '/ttl-multi', data: null, acl: OPEN_ACL_UNSAFE, mode: CreateMode.persistentWithTTL, ttlMs: 60_000 },
    ]);
    expect(results[0]).toMatchObject({ type: 'create', path: '/ttl-multi' });
    expect(await op(s, 'exists', '/ttl-multi', null)).not.toBeNull();
  });
});

