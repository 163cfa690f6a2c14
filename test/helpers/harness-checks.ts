// What the harness promises of every ZooKeeper it starts, written once and run against each
// source: local jars (test/integration/testing-harness.test.ts) and containers
// (test/containers/container-source.test.ts).
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { fourLetter, parseMntr, parseSrvr } from '../../src/admin/four-letter.js';
import { rawACL } from '../../src/wire/nzc/raw-client.js';
import { connect, type ConnectionState } from '../../src/index.js';
import { expireSession, faultProxy, type TestingZooKeeper } from '../../src/testing/index.js';
import { createExtended } from './extended-create.js';
import { closeRaw, connectRaw, rawCall } from './raw.js';
import { eventually, withTimeout } from './waiting.js';
import { record } from './zk.js';

const OPEN = [rawACL(31, 'world', 'anyone')];

/** True if `address` answers `ruok`. */
export const answers = (address: string): Promise<boolean> =>
  fourLetter(address, 'ruok', { timeoutMs: 500 }).then(
    (reply) => reply === 'imok',
    () => false,
  );

/** A standalone server starts on a loopback port, serves reads and writes, and stops for good. */
export async function checkStandaloneLifecycle(server: TestingZooKeeper): Promise<void> {
  try {
    expect(server.connectString).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.size).toBe(1);
    const srvr = parseSrvr(await server.fourLetter(0, 'srvr'));
    expect(srvr.mode).toBe('standalone');
    expect(srvr.version).toMatch(/^3\.\d+\.\d+/);
    const mntr = parseMntr(await server.fourLetter(0, 'mntr'));
    expect(mntr.get('server_state')).toBe('standalone');
    expect(await server.leaderIndex()).toBe(0);

    const client = await connectRaw(server.connectString);
    await rawCall<string>((cb) => client.create('/harness', Buffer.from('x'), OPEN, 0, cb));
    const data = await rawCall<Buffer>((cb) => client.getData('/harness', undefined, cb));
    expect(data.toString()).toBe('x');
    await closeRaw(client);
  } finally {
    await server.stop();
  }
  expect(await answers(server.address(0))).toBe(false);
  await server.stop(); // twice is harmless
}

/**
 * The server runs with the settings `startZooKeeper` promises: the tick and session bounds asked
 * for, every four-letter word allowed, TTL nodes enabled, and empty container and expired TTL
 * nodes removed within seconds (not ZooKeeper's default minute).
 */
export async function checkServerSettings(
  server: TestingZooKeeper,
  promised: { tickTimeMs: number; minSessionTimeoutMs: number; maxSessionTimeoutMs: number },
): Promise<void> {
  const conf = new Map(
    (await server.fourLetter(0, 'conf'))
      .split('\n')
      .map((line) => line.split('=') as [string, string])
      .filter((pair) => pair.length === 2),
  );
  expect(conf.get('tickTime')).toBe(String(promised.tickTimeMs));
  expect(conf.get('minSessionTimeout')).toBe(String(promised.minSessionTimeoutMs));
  expect(conf.get('maxSessionTimeout')).toBe(String(promised.maxSessionTimeoutMs));
  expect(conf.get('maxClientCnxns')).toBe('0');
  // A word the server does not allow is answered with a refusal, which fourLetter rejects.
  for (const word of ['cons', 'wchs', 'envi', 'dump'] as const) {
    await expect(server.fourLetter(0, word)).resolves.toBeTypeOf('string');
  }

  const root = `/settings-${randomUUID()}`;
  const client = await connectRaw(server.connectString);
  try {
    expect(await createExtended(server.address(0), `${root}-ttl`, { kind: 'persistent-ttl', ttlMs: 1 })).toBe(0);
    expect(await createExtended(server.address(0), `${root}-container`, { kind: 'container' })).toBe(0);
    await rawCall<string>((cb) => client.create(`${root}-container/child`, undefined, OPEN, 0, cb));
    await rawCall<void>((cb) => client.remove(`${root}-container/child`, -1, cb));
    const exists = (path: string) => rawCall<unknown>((cb) => client.exists(path, undefined, cb));
    await eventually(
      async () => (await exists(`${root}-ttl`)) === null && (await exists(`${root}-container`)) === null,
      'the expired TTL node and the emptied container node to be removed',
      20_000,
    );
  } finally {
    await closeRaw(client);
  }
}

/** An ensemble has one leader, survives killing it, and takes it back as a follower. */
export async function checkEnsembleFailover(ensemble: TestingZooKeeper): Promise<void> {
  expect(ensemble.size).toBe(3);
  expect(ensemble.connectString.split(',')).toHaveLength(3);
  const modes = await Promise.all([0, 1, 2].map(async (i) => parseSrvr(await ensemble.fourLetter(i, 'srvr')).mode));
  expect(modes.filter((m) => m === 'leader')).toHaveLength(1);
  expect(modes.filter((m) => m === 'follower')).toHaveLength(2);

  const client = await connectRaw(ensemble.connectString, { sessionTimeoutMs: 10_000 });
  await rawCall<string>((cb) => client.create('/before-failover', Buffer.from('kept'), OPEN, 0, cb));

  const oldLeader = await ensemble.leaderIndex();
  await ensemble.kill(oldLeader);
  expect(await answers(ensemble.address(oldLeader))).toBe(false);
  let newLeader = -1;
  await eventually(
    async () => {
      newLeader = await ensemble.leaderIndex().catch(() => -1);
      return newLeader >= 0;
    },
    'a new leader',
    30_000,
  );
  expect(newLeader).not.toBe(oldLeader);

  const kept = await withTimeout(
    rawCall<Buffer>((cb) => client.getData('/before-failover', undefined, cb)),
    20_000,
    'read after failover',
  );
  expect(kept.toString()).toBe('kept');

  await ensemble.restart(oldLeader);
  expect(parseSrvr(await ensemble.fourLetter(oldLeader, 'srvr')).mode).toBe('follower');
  // The restarted member kept its data and rejoined at the same address.
  const direct = await connectRaw(ensemble.address(oldLeader));
  const synced = await rawCall<Buffer>((cb) => direct.getData('/before-failover', undefined, cb));
  expect(synced.toString()).toBe('kept');
  await closeRaw(direct);
  await closeRaw(client);
}

/**
 * A client behind a {@link faultProxy} whose session `expireSession` ends while the proxy is
 * blackholed: once the proxy passes traffic again, the client learns its session is gone, its
 * ephemeral node with it, and carries on with a new session.
 */
export async function checkExpiryThroughProxy(server: TestingZooKeeper): Promise<void> {
  const proxy = await faultProxy(server.connectString);
  const zk = connect(proxy.connectString, { sessionTimeoutMs: 4_000 });
  try {
    await zk.ready({ timeoutMs: 20_000 });
    const oldSession = zk.sessionId;
    const path = `/expire-through-proxy-${randomUUID()}`;
    await zk.create(path, null, { mode: 'ephemeral' });
    const states = record(zk.state$);

    await proxy.blackhole();
    await expireSession(zk, { connectString: server.connectString });
    await proxy.restore();

    await eventually(
      () => states.values.includes('lost') && states.values.at(-1) === 'connected',
      'a new session after lost',
    );
    expect(states.values).toContain('lost' satisfies ConnectionState);
    expect(zk.sessionId).not.toBe(oldSession);
    expect(await zk.exists(path)).toBeNull();
  } finally {
    await zk.close();
    await proxy.close();
  }
}
