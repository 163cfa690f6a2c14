import { describe, expect, it } from 'vitest';
import { ConnectionLossError, digestACL, SessionExpiredError, type ConnectionState } from '../../../src/index.js';
import { expireSession } from '../../../src/testing/index.js';
import { ownZooKeeper, testProxy } from '../../helpers/own-zookeeper.js';
import { eventually, nextMatching, record, testClient } from '../../helpers/zk.js';

const own = ownZooKeeper();

/** Resolves once `states` shows a new session after a lost one. */
const newSession = (states: { values: ConnectionState[] }) =>
  eventually(() => states.values.includes('lost') && states.values.at(-1) === 'connected', 'a new session after lost');

describe('an expired session', () => {
  it('is lost, then replaced by a new session: old ephemerals gone, streams re-armed, credentials replayed', async () => {
    const observer = await testClient({ connectString: own.server.connectString });
    await observer.create('/expire', 'v0');
    await observer.create('/expire/private', 'secret', { acl: [digestACL('dora', 'pw')] });

    const zk = await testClient({ connectString: own.server.connectString });
    await zk.addAuth('digest', 'dora:pw');
    await zk.create('/expire/mine', null, { mode: 'ephemeral' });
    const oldSession = zk.sessionId;
    const states = record(zk.state$);
    const data$ = zk.data$('/expire');
    const children$ = zk.children$('/expire');
    const data = record(data$);
    const children = record(children$);
    await eventually(() => data.values.length === 1 && children.values.length === 1, 'the streams');

    await expireSession(zk);
    await newSession(states);
    // Attaching to the session elsewhere cuts the client's connection; the client may get the
    // session back (reconnected) before the server ends it, then sees it expire.
    expect(states.values.slice(-3)).toEqual(['suspended', 'lost', 'connected'] satisfies ConnectionState[]);
    expect(states.values.slice(0, -3).every((s) => s === 'connected' || s === 'suspended' || s === 'reconnected')).toBe(
      true,
    );
    expect(zk.sessionId).not.toBeNull();
    expect(zk.sessionId).not.toBe(oldSession);
    expect(await observer.exists('/expire/mine')).toBeNull();
    await nextMatching(children$, (c) => c !== null && !c.includes('mine'), 'the ephemeral gone from children$');

    // The streams watch again on the new session.
    await observer.set('/expire', 'v1');
    await nextMatching(data$, (n) => n?.data.toString() === 'v1', 'a change after the new session');
    await observer.create('/expire/new');
    await nextMatching(children$, (c) => c?.includes('new') === true, 'a child after the new session');
    expect(data.errors).toEqual([]);
    expect(children.errors).toEqual([]);
    // Credentials added with addAuth were replayed on the new session.
    expect((await zk.get('/expire/private')).data.toString()).toBe('secret');
  });

  it('fails operations queued while disconnected with SessionExpiredError', async () => {
    const proxy = await testProxy(own.server.connectString);
    const zk = await testClient({ connectString: proxy.connectString, operationTimeoutMs: 60_000 });
    const states = record(zk.state$);
    await proxy.refuse();
    await nextMatching(zk.state$, (s) => s === 'suspended', 'suspended');
    const queued = [zk.get('/'), zk.create('/queued-before-expiry'), zk.getChildren('/')].map((p) =>
      p.then(
        () => 'resolved',
        (e: unknown) => e,
      ),
    );
    await expireSession(zk, { connectString: own.server.connectString });
    await proxy.restore();
    for (const outcome of await Promise.all(queued)) expect(outcome).toBeInstanceOf(SessionExpiredError);
    await newSession(states);
    expect(await zk.exists('/queued-before-expiry')).toBeNull();
  });

  it('fails operations in flight: resendable ones with SessionExpiredError, the others with ConnectionLossError', async () => {
    const proxy = await testProxy(own.server.connectString);
    const zk = await testClient({ connectString: proxy.connectString, sessionTimeoutMs: 20_000, operationTimeoutMs: 60_000 });
    await zk.exists('/');
    await proxy.blackhole();
    const resendable = zk.get('/').then(
      () => 'resolved',
      (e: unknown) => e,
    );
    const sequential = zk.create('/in-flight-', null, { mode: 'persistent-sequential' }).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await expireSession(zk, { connectString: own.server.connectString });
    await proxy.restore(); // cuts the silent connection: the replies are lost
    expect(await sequential).toBeInstanceOf(ConnectionLossError);
    expect(await resendable).toBeInstanceOf(SessionExpiredError);
  });
});
