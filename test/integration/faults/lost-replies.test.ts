import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, ConnectionLossError, type ConnectionState, type ZkClient } from '../../../src/index.js';
import { faultProxy, startZooKeeper, type FaultProxy, type TestingZooKeeper } from '../../../src/testing/index.js';
import { record } from '../../helpers/zk.js';

let server: TestingZooKeeper;
let proxy: FaultProxy;
let zk: ZkClient;
let direct: ZkClient;

beforeAll(async () => {
  server = await startZooKeeper({ source: 'local' });
  proxy = await faultProxy(server.connectString);
  zk = connect(proxy.connectString, { sessionTimeoutMs: 10_000, operationTimeoutMs: 30_000 });
  direct = connect(server.connectString);
  await Promise.all([zk.ready(), direct.ready()]);
  await direct.create('/lost', 'v0');
});

afterAll(async () => {
  await zk?.close();
  await direct?.close();
  await proxy?.close();
  await server?.stop();
});

describe('a reply lost with the connection (the request took effect or not, the client cannot tell)', () => {
  it('a read is re-sent on the same session and resolves', async () => {
    const states = record(zk.state$);
    const swallowed = proxy.loseNextReply('getData');
    const read = zk.get('/lost');
    await swallowed;
    expect((await read).data.toString()).toBe('v0');
    expect(states.values).toEqual(['connected', 'suspended', 'reconnected'] satisfies ConnectionState[]);
  });

  it('an unconditional set is re-sent and resolves (applied twice: harmless)', async () => {
    const before = (await direct.exists('/lost'))!.version;
    const swallowed = proxy.loseNextReply('setData');
    const written = zk.set('/lost', 'v1');
    await swallowed;
    expect((await written).version).toBe(before + 2);
    expect((await direct.get('/lost')).data.toString()).toBe('v1');
  });

  it('a sequential create is not re-sent: ConnectionLossError; the node it made is left for the caller', async () => {
    const before = await direct.getChildren('/lost');
    const swallowed = proxy.loseNextReply('create');
    const created = zk.create('/lost/item-', null, { mode: 'persistent-sequential' }).catch((e: unknown) => e);
    await swallowed;
    expect(await created).toBeInstanceOf(ConnectionLossError);
    const after = await direct.getChildren('/lost');
    expect(after.filter((c) => !before.includes(c))).toHaveLength(1);
  });

  it('a conditional set is not re-sent: ConnectionLossError, though it took effect', async () => {
    const { stat } = await direct.get('/lost');
    const swallowed = proxy.loseNextReply('setData');
    const written = zk.set('/lost', 'conditional', { version: stat.version }).catch((e: unknown) => e);
    await swallowed;
    expect(await written).toBeInstanceOf(ConnectionLossError);
    expect((await direct.get('/lost')).data.toString()).toBe('conditional');
  });

  it('a transaction is not re-sent: ConnectionLossError, though it took effect', async () => {
    const swallowed = proxy.loseNextReply('multi');
    const committed = zk.transaction().create('/lost/tx').set('/lost', 'tx').commit().catch((e: unknown) => e);
    await swallowed;
    expect(await committed).toBeInstanceOf(ConnectionLossError);
    expect(await direct.exists('/lost/tx')).not.toBeNull();
    // The same session all along.
    expect(await zk.exists('/lost/tx')).not.toBeNull();
  });
});
