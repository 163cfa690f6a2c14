import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../src/index.js';
import { ownZooKeeperBehindProxy } from '../../helpers/own-zookeeper.js';
import { eventually, nextMatching, record, testClient } from '../../helpers/zk.js';

const SESSION_TIMEOUT_MS = 3_000;

const own = ownZooKeeperBehindProxy();

describe('the ensemble out of reach for longer than the session timeout', () => {
  it('suspends, presumes the session lost, builds a new one, and the streams catch up', async () => {
    const { server, proxy } = own;
    const writer = await testClient({ connectString: server.connectString });
    await writer.create('/refuse', 'before');
    await writer.create('/refuse/gone-meanwhile');

    const zk = await testClient({ connectString: proxy.connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS });
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
