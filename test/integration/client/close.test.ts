import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClientClosedError, connect, type ConnectionState } from '../../../src/index.js';
import { faultProxy } from '../../../src/testing/index.js';
import { spawnScript } from '../../helpers/cli.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

describe('close()', () => {
  it('completes every stream and state$, which ends with closed', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'close-streams');
    await zk.create(`${root}/n`, 'x');
    const state = record(zk.state$);
    const streams = [
      record(zk.data$(`${root}/n`)),
      record(zk.children$(root)),
      record(zk.exists$(`${root}/n`)),
      record(zk.tree$(root)),
      record(zk.deleted$(`${root}/n`)),
      record(zk.data$(`${root}/missing`)),
    ];
    await eventually(() => streams.slice(0, 4).every((s) => s.values.length > 0), 'every stream to emit');

    await zk.close();
    expect(state.values).toEqual(['connected', 'closed'] satisfies ConnectionState[]);
    expect(state.completed()).toBe(true);
    for (const stream of streams) {
      expect(stream.completed()).toBe(true);
      expect(stream.errors).toEqual([]);
    }
    expect(zk.state).toBe('closed');
    expect(zk.sessionId).toBeNull();
  });

  it("deletes the session's ephemeral nodes by the time it resolves", async () => {
    const observer = await testClient();
    const root = await testRoot(observer, 'close-ephemerals');
    const zk = connect(sharedConnectString(), { sessionTimeoutMs: 30_000 });
    await zk.ready({ timeoutMs: 20_000 });
    await zk.create(`${root}/e1`, null, { mode: 'ephemeral' });
    await zk.create(`${root}/e2-`, null, { mode: 'ephemeral-sequential' });
    expect(await observer.getChildren(root)).toHaveLength(2);
    await zk.close();
    expect(await observer.getChildren(root)).toEqual([]);
  });

  it('fails operations still waiting for a session with ClientClosedError', async () => {
    const zk = connect(sharedConnectString(), { sessionTimeoutMs: 6_000 });
    const pending = [zk.get('/'), zk.exists('/'), zk.create('/never-created-by-close-test'), zk.getChildren('/')];
    const ready = zk.ready({ timeoutMs: 20_000 });
    await zk.close();
    for (const outcome of await Promise.allSettled([...pending, ready])) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ClientClosedError);
    }
  });

  it('fails an operation in flight on a silent connection with ClientClosedError', async () => {
    const proxy = await faultProxy(sharedConnectString());
    try {
      const zk = connect(proxy.connectString, { sessionTimeoutMs: 6_000, operationTimeoutMs: 60_000 });
      await zk.ready({ timeoutMs: 20_000 });
      await proxy.blackhole();
      const inFlight = zk.get('/').then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await zk.close();
      expect(await inFlight).toBeInstanceOf(ClientClosedError);
    } finally {
      await proxy.close();
    }
  });

  it('is idempotent', async () => {
    const zk = await testClient();
    const first = zk.close();
    expect(zk.close()).toBe(first);
    await first;
    await zk.close();
    expect(zk.state).toBe('closed');
  });

  it('lets the process exit by itself', async () => {
    const observer = await testClient();
    const root = await testRoot(observer, 'close-exit');
    const script = fileURLToPath(new URL('../../helpers/connect-subscribe-close.ts', import.meta.url));
    // Killed, and the test failed, if it has not exited by itself within 30 s.
    const child = spawnScript(script, [sharedConnectString(), `${root}/child`], { timeoutMs: 30_000 });
    const { code, stdout, stderr } = await child.exited;
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toBe('closed 6/6');
    // Its ephemeral node went with its session.
    expect(await observer.exists(`${root}/child`)).toBeNull();
  });
});
