import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../src/index.js';
import { ownZooKeeperBehindProxy } from '../../helpers/own-zookeeper.js';
import { eventually, nextMatching, record, testClient } from '../../helpers/zk.js';

const SESSION_TIMEOUT_MS = 6_000;

const own = ownZooKeeperBehindProxy();

describe('a silent partition (every byte dropped, sockets left open)', () => {
  it('is suspended while the session still lives, then lost; after it, a new session and streams recover', async () => {
    const { server, proxy } = own;
    const writer = await testClient({ connectString: server.connectString });
    await writer.create('/blackhole', 'before');

    const zk = await testClient({ connectString: proxy.connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS });
    await zk.create('/blackhole/mine', null, { mode: 'ephemeral' });
    const oldSession = zk.sessionId;
    const states = record(zk.state$);
    const data$ = zk.data$('/blackhole');
    const exists$ = zk.exists$('/blackhole');
    const streams = [record(data$), record(exists$)];
    await eventually(() => streams.every((s) => s.values.length > 0), 'the streams');

    await proxy.blackhole();
    // The wire client has no read timeout: without the liveness check this never comes.
    await nextMatching(zk.state$, (s) => s === 'suspended', 'suspended', 2 * SESSION_TIMEOUT_MS);
    // Suspended before the server could expire the session (it is told at 2/3 of the timeout).
    expect(await writer.exists('/blackhole/mine')).not.toBeNull();

    await nextMatching(zk.state$, (s) => s === 'lost', 'lost', 2 * SESSION_TIMEOUT_MS);
    await writer.set('/blackhole', 'during the outage');

    await proxy.restore();
    await eventually(() => states.values.at(-1) === 'connected', 'a new session', 4 * SESSION_TIMEOUT_MS);
    expect(states.values).toEqual(['connected', 'suspended', 'lost', 'connected'] satisfies ConnectionState[]);
    expect(zk.sessionId).not.toBe(oldSession);
    await nextMatching(data$, (n) => n?.data.toString() === 'during the outage', 'data$ to catch up');
    await nextMatching(exists$, (s) => s?.version === 1, 'exists$ to catch up');
    // The server expires the old session on its own clock, which may lag the client's a little.
    await eventually(async () => (await writer.exists('/blackhole/mine')) === null, 'the old ephemeral to go');

    await writer.set('/blackhole', 'after');
    await nextMatching(data$, (n) => n?.data.toString() === 'after', 'a change on the new session');
    for (const s of streams) expect(s.errors).toEqual([]);
  });
});
