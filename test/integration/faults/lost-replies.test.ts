import { describe, expect, it } from 'vitest';
import { ConnectionLossError, type ConnectionState } from '../../../src/index.js';
import { ownZooKeeperBehindProxy } from '../../helpers/own-zookeeper.js';
import { record, testClient } from '../../helpers/zk.js';

const own = ownZooKeeperBehindProxy();

/** A client through the proxy, whose replies are lost, and one straight to the server; /lost exists. */
async function clients() {
  const zk = await testClient({ connectString: own.proxy.connectString, sessionTimeoutMs: 10_000, operationTimeoutMs: 30_000 });
  const direct = await testClient({ connectString: own.server.connectString });
  if ((await direct.exists('/lost')) === null) await direct.create('/lost', 'v0');
  return { zk, direct, proxy: own.proxy };
}

describe('a reply lost with the connection (the request took effect or not, the client cannot tell)', () => {
  it('a read is re-sent on the same session and resolves', async () => {
    const { zk, direct, proxy } = await clients();
    const states = record(zk.state$);
    const swallowed = proxy.loseNextReply('getData');
    const read = zk.get('/lost');
    await swallowed;
    expect((await read).data.toString()).toBe('v0');
    expect(states.values).toEqual(['connected', 'suspended', 'reconnected'] satisfies ConnectionState[]);
  });

  it('an unconditional set is re-sent and resolves (applied twice: harmless)', async () => {
    const { zk, direct, proxy } = await clients();
    const before = (await direct.exists('/lost'))!.version;
    const swallowed = proxy.loseNextReply('setData');
    const written = zk.set('/lost', 'v1');
    await swallowed;
    expect((await written).version).toBe(before + 2);
    expect((await direct.get('/lost')).data.toString()).toBe('v1');
  });

  it('a sequential create is not re-sent: ConnectionLossError; the node it made is left for the caller', async () => {
    const { zk, direct, proxy } = await clients();
    const before = await direct.getChildren('/lost');
    const swallowed = proxy.loseNextReply('create');
    const created = zk.create('/lost/item-', null, { mode: 'persistent-sequential' }).catch((e: unknown) => e);
    await swallowed;
    expect(await created).toBeInstanceOf(ConnectionLossError);
    const after = await direct.getChildren('/lost');
    expect(after.filter((c) => !before.includes(c))).toHaveLength(1);
  });

  it('a conditional set is not re-sent: ConnectionLossError, though it took effect', async () => {
    const { zk, direct, proxy } = await clients();
    const { stat } = await direct.get('/lost');
    const swallowed = proxy.loseNextReply('setData');
    const written = zk.set('/lost', 'conditional', { version: stat.version }).catch((e: unknown) => e);
    await swallowed;
    expect(await written).toBeInstanceOf(ConnectionLossError);
    expect((await direct.get('/lost')).data.toString()).toBe('conditional');
  });

  it('a transaction is not re-sent: ConnectionLossError, though it took effect', async () => {
    const { zk, direct, proxy } = await clients();
    const swallowed = proxy.loseNextReply('multi');
    const committed = zk.transaction().create('/lost/tx').set('/lost', 'tx').commit().catch((e: unknown) => e);
    await swallowed;
    expect(await committed).toBeInstanceOf(ConnectionLossError);
    expect(await direct.exists('/lost/tx')).not.toBeNull();
    // The same session all along.
    expect(await zk.exists('/lost/tx')).not.toBeNull();
  });
});
