// The harness's own checks on the container source: run by `npm run test:containers` (see
// vitest.containers.config.ts), which sets RXZK_TESTCONTAINERS=1. They fail, never skip, when no
// Docker engine or no image is there: that is what they are for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawACL } from '../../src/wire/nzc/raw-client.js';
import { startZooKeeper, type TestingZooKeeper } from '../../src/testing/index.js';
import {
  answers,
  checkEnsembleFailover,
  checkExpiryThroughProxy,
  checkServerSettings,
  checkStandaloneLifecycle,
} from '../helpers/harness-checks.js';
import { closeRaw, connectRaw, rawCall } from '../helpers/raw.js';

// One standalone container serves every single-server check (each container costs a copy of
// the image on some storage drivers); the lifecycle check, which stops it, comes last.
describe('container source: standalone', () => {
  let server: TestingZooKeeper;
  beforeAll(async () => {
    server = await startZooKeeper({ tickTimeMs: 50, maxSessionTimeoutMs: 30_000 });
  });
  afterAll(() => server?.stop());

  it('is what RXZK_TESTCONTAINERS=1 selects', () => {
    expect(server.source).toBe('container');
  });

  it('runs with the promised tick, session bounds, four-letter words, TTL and container nodes', async () => {
    await checkServerSettings(server, { tickTimeMs: 50, minSessionTimeoutMs: 100, maxSessionTimeoutMs: 30_000 });
  });

  it('lets expireSession end a session behind a blackholed faultProxy', async () => {
    await checkExpiryThroughProxy(server);
  });

  it('kills and restarts the server at the same address, with its data', async () => {
    const path = `/survives-restart-${Date.now()}`;
    const before = await connectRaw(server.connectString);
    await rawCall<string>((cb) => before.create(path, Buffer.from('kept'), [rawACL(31, 'world', 'anyone')], 0, cb));
    await closeRaw(before);

    await server.kill(0);
    expect(await answers(server.address(0))).toBe(false);
    await server.restart(0);
    const after = await connectRaw(server.connectString);
    expect((await rawCall<Buffer>((cb) => after.getData(path, undefined, cb))).toString()).toBe('kept');
    await closeRaw(after);
  });

  it('answers four-letter words, serves reads and writes, and stops for good', async () => {
    await checkStandaloneLifecycle(server);
  });
});

it('container source: a 3-member ensemble has one leader, survives killing it, and takes it back at the same address', async () => {
  const ensemble = await startZooKeeper({ servers: 3, source: 'container' });
  try {
    expect(ensemble.source).toBe('container');
    await checkEnsembleFailover(ensemble);
  } finally {
    await ensemble.stop();
  }
});
