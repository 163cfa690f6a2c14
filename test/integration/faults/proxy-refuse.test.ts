import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type ConnectionState, type ZkClient } from '../../../src/index.js';
import { faultProxy, startZooKeeper, type FaultProxy, type TestingZooKeeper } from '../../../src/testing/index.js';
import { eventually, nextMatching, record } from '../../helpers/zk.js';

const SESSION_TIMEOUT_MS = 3_000;

let server: TestingZooKeeper;
let proxy: FaultProxy;
const clients: ZkClient[] = [];

beforeAll(async () => {
  server = await startZooKeeper({ source: 'local' });
  proxy = await faultProxy(server.connectString);
});

afterAll(async () => {
  await Promise.all(clients.map((zk) => zk.close()));
  await proxy?.close();
  await server?.stop();
});

describe('the ensemble out of reach for longer than the session timeout', () => {
  it('suspends, presumes the session lost, builds a new one, and the streams catch up', async () => {
    const writer = connect(server.connectString);
    clients.push(writer);
    await writer.ready();
    await writer.create('/refuse', 'before');
    await writer.create('/refuse/gone-meanwhile');

    const zk = connect(proxy.connectString, { sessionTimeoutMs: SESSION_TIMEOUT_MS });
    clients.push(zk);
    await zk.ready();
    await zk.create('/refuse/mine', null, { mode: 'ephemeral' });
    const oldSession = zk.sessionId;
    const states = record(zk.state$);
    const data$ = zk.data$('/refuse');
    const children$ = zk.children$('/refuse');
    const tree$ = zk.tree$('/refuse');
    const streams = [record(data$), record(children$), record(tree$)];
    await eventually(() => streams.every((s) => s.values.length > 0), 'the streams');

    await proxy.refuse();
    await nextMatching(zk.state$, (s) => s === 'lost', 'lost', 4 * SESSION_TIMEOUT_MS);
    expect(states.values).toEqual(['connected', 'suspended', 'lost'] satisfies ConnectionState[]);

    // Changed by another client while this one is cut off.
    await writer.set('/refuse', 'during the outage');
    await writer.delete('/refuse/gone-meanwhile');
    await writer.create('/refuse/added-meanwhile', 'new');

    await proxy.restore();
    await eventually(() => states.values.at(-1) === 'connected', 'a new session');
    expect(states.values).toEqual(['connected', 'suspended', 'lost', 'connected'] satisfies ConnectionState[]);
    expect(zk.sessionId).not.toBe(oldSession);

    await nextMatching(data$, (n) => n?.data.toString() === 'during the outage', 'data$ to catch up');
    await nextMatching(
      children$,
      (c) => c?.includes('added-meanwhile') === true && !c.includes('gone-meanwhile'),
      'children$ to catch up',
    );
    await nextMatching(
      tree$,
      (t) => t.get('/refuse/added-meanwhile')?.data.toString() === 'new' && !t.has('/refuse/gone-meanwhile'),
      'tree$ to catch up',
    );
    // The old session's ephemeral goes once the server expires it.
    await eventually(async () => (await writer.exists('/refuse/mine')) === null, 'the old ephemeral to go');
    for (const s of streams) {
      expect(s.errors).toEqual([]);
      expect(s.completed()).toBe(false);
    }
  });
});
