import { describe, expect, it } from 'vitest';
import { ownZooKeeper, testProxy } from '../../helpers/own-zookeeper.js';
import { eventually, testConnect } from '../../helpers/zk.js';

const own = ownZooKeeper();

describe('the connect deadline', () => {
  it('moves past a member that accepts connections but never answers, to one that does', async () => {
    // `silent` accepts and swallows every connection. `healthy` leads to the real server but is
    // silent too until `silent` has held the client once. The wire client shuffles its servers,
    // so this is what makes the test independent of the order it picks: once `healthy` is
    // restored, the client either waits on `silent` or, cut from `healthy` by the restore, goes
    // to `silent` next; either way only the deadline can move it on. The wire client's own
    // connect timeout ends when the TCP connection is up, so it cannot.
    const silent = await testProxy(own.server.connectString);
    const healthy = await testProxy(own.server.connectString);
    await silent.blackhole();
    await healthy.blackhole();

    const zk = testConnect({ connectString: `${silent.connectString},${healthy.connectString}`, sessionTimeoutMs: 4_000 });
    const ready = zk.ready({ timeoutMs: 60_000 });
    ready.catch(() => undefined); // awaited below; a failure before then must not go unhandled
    await eventually(() => silent.connections > 0, 'a connection attempt held by the silent member');
    await healthy.restore();

    await ready;
    expect(zk.state).toBe('connected');
    expect(zk.sessionId).not.toBeNull();
    expect(healthy.connections).toBe(1);
    expect(await zk.exists('/')).not.toBeNull();
  });
});
