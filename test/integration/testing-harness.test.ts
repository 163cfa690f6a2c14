import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  expireSession,
  faultProxy,
  startZooKeeper,
  type FaultProxy,
  type TestingZooKeeper,
} from '../../src/testing/index.js';
import { RAW_ERROR, rawACL } from '../../src/wire/nzc/raw-client.js';
import {
  answers,
  checkEnsembleFailover,
  checkExpiryThroughProxy,
  checkServerSettings,
  checkStandaloneLifecycle,
} from '../helpers/harness-checks.js';
import { spawnScript } from '../helpers/cli.js';
import { closeRaw, connectRaw, rawCall } from '../helpers/raw.js';
import { eventually, withTimeout } from '../helpers/waiting.js';

const OPEN = [rawACL(31, 'world', 'anyone')];

describe('startZooKeeper: standalone', () => {
  it('starts a real server on a free loopback port, answers four-letter commands, and stops it', async () => {
    await checkStandaloneLifecycle(await startZooKeeper({ source: 'local' }));
  });

  it('runs with the promised tick, session bounds, four-letter words, TTL and container nodes', async () => {
    const server = await startZooKeeper({ source: 'local', tickTimeMs: 50, maxSessionTimeoutMs: 30_000 });
    try {
      await checkServerSettings(server, { tickTimeMs: 50, minSessionTimeoutMs: 100, maxSessionTimeoutMs: 30_000 });
    } finally {
      await server.stop();
    }
  });

  it('never leaves its JVM behind when the process that started it is killed outright', async () => {
    const script = fileURLToPath(new URL('../helpers/start-and-wait.ts', import.meta.url));
    const child = spawnScript(script, [], { timeoutMs: 120_000 });
    const address = await child.waitForLine(/^127\.0\.0\.1:\d+$/, 'the child to start ZooKeeper', 60_000);
    expect(await answers(address)).toBe(true);
    child.kill();
    expect((await child.exited).signal).toBe('SIGKILL');
    await eventually(async () => !(await answers(address)), 'the orphaned JVM to die', 15_000);
  });
});

describe('startZooKeeper: 3-member ensemble', () => {
  let ensemble: TestingZooKeeper;
  beforeAll(async () => {
    ensemble = await startZooKeeper({ servers: 3, source: 'local' });
  });
  afterAll(() => ensemble?.stop());

  it('has exactly one leader and survives killing it and restarting it', async () => {
    await checkEnsembleFailover(ensemble);
  });
});

describe('faultProxy', () => {
  let server: TestingZooKeeper;
  let proxy: FaultProxy;
  beforeAll(async () => {
    server = await startZooKeeper({ source: 'local' });
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
  });

  // drop() is refuse() under another name.
  it.each(['refuse', 'drop'] as const)('%s() cuts the connection and refuses new ones; restore() lets the same session back', async (cut) => {
    proxy = await faultProxy(server.connectString);
    const client = await connectRaw(proxy.connectString, { sessionTimeoutMs: 20_000 });
    const session = client.getSessionId().toString('hex');
    expect(proxy.connections).toBe(1);

    const disconnected = once(client, 'disconnected');
    await proxy[cut]();
    await withTimeout(disconnected, 5_000, `disconnect on ${cut}`);
    expect(proxy.mode).toBe('refuse');
    await sleep(300); // the client keeps retrying against a closed port
    expect(proxy.connections).toBe(0);

    const reconnected = once(client, 'connected');
    await proxy.restore();
    await withTimeout(reconnected, 10_000, 'reconnect after restore');
    expect(client.getSessionId().toString('hex')).toBe(session);
    await closeRaw(client);
    await proxy.close();
  });

  it('blackhole() keeps the socket open but answers nothing; restore() cuts it so the client reconnects', async () => {
    proxy = await faultProxy(server.connectString);
    const client = await connectRaw(proxy.connectString, { sessionTimeoutMs: 20_000 });
    let disconnects = 0;
    client.on('disconnected', () => disconnects++);
    await proxy.blackhole();

    let answered = false;
    const pending = rawCall<unknown>((cb) => client.exists('/', undefined, cb)).then(
      () => (answered = true),
      (error: { code: number }) => error.code,
    );
    await sleep(1_000);
    expect(answered).toBe(false);
    expect(disconnects).toBe(0);
    expect(proxy.connections).toBe(1);

    const reconnected = once(client, 'connected');
    await proxy.restore();
    await withTimeout(reconnected, 10_000, 'reconnect after blackhole');
    expect(disconnects).toBe(1);
    // The request sent into the hole is failed with connection loss when the socket is cut.
    expect(await pending).toBe(RAW_ERROR.CONNECTION_LOSS);
    await closeRaw(client);
    await proxy.close();
  });

  it('loseNextReply() lets a create through and swallows its reply', async () => {
    proxy = await faultProxy(server.connectString);
    const client = await connectRaw(proxy.connectString, { sessionTimeoutMs: 20_000 });
    const swallowed = proxy.loseNextReply('create');
    const created = rawCall<string>((cb) => client.create('/lost-reply', undefined, OPEN, 0, cb)).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    await withTimeout(swallowed, 5_000, 'the reply to be swallowed');
    expect(await created).toBe(RAW_ERROR.CONNECTION_LOSS);

    const direct = await connectRaw(server.connectString);
    expect(await rawCall((cb) => direct.exists('/lost-reply', undefined, cb))).not.toBeNull();
    await closeRaw(direct);
    await closeRaw(client);
    await proxy.close();
  });

  it('loseNextReply() armed again, or left armed when the proxy closes, rejects', async () => {
    proxy = await faultProxy(server.connectString);
    const first = proxy.loseNextReply('create');
    const second = proxy.loseNextReply('setData');
    await expect(first).rejects.toThrow("loseNextReply('setData'): armed again before a reply was lost");
    await proxy.close();
    await expect(second).rejects.toThrow('loseNextReply: the proxy was closed before a reply was lost');
  });
});

describe('expireSession', () => {
  it('ends a session behind a blackholed proxy: the client sees it lost and starts a new one', async () => {
    const server = await startZooKeeper({ source: 'local' });
    try {
      await checkExpiryThroughProxy(server);
    } finally {
      await server.stop();
    }
  });

  it('ends the session on the server: its ephemerals go and the client is told it expired', async () => {
    const connectString = inject('zkConnectString');
    const client = await connectRaw(connectString, { sessionTimeoutMs: 30_000 });
    const path = `/expire-${process.pid}-${Date.now()}`;
    await rawCall<string>((cb) => client.create(path, undefined, OPEN, 1, cb));
    const expired = once(client, 'expired');

    await expireSession({
      sessionId: client.getSessionId(),
      sessionPassword: client.getSessionPassword(),
      connectString,
      // The client may have re-attached just before the close, onto a connection the server no
      // longer maps to the session; it would hear nothing until a timeout. Cutting it makes it
      // reconnect and be told at once (what expireSession does for an rxzk client by itself).
      dropConnection: () => client.connectionManager.socket?.destroy(),
    });

    await withTimeout(expired, 10_000, 'the client to see its session expire');
    const observer = await connectRaw(connectString);
    expect(await rawCall((cb) => observer.exists(path, undefined, cb))).toBeNull();
    await closeRaw(observer);
    client.close();
  });
});
