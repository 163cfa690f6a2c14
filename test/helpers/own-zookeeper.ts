import { afterAll, beforeAll, onTestFinished } from 'vitest';
import {
  faultProxy,
  startZooKeeper,
  type FaultProxy,
  type StartZooKeeperOptions,
  type TestingZooKeeper,
} from '../../src/testing/index.js';

/**
 * A ZooKeeper of the test file's own (from the local jars), started before its tests and stopped
 * after them: for tests that kill, cut off or expire what no other file may share.
 */
export function ownZooKeeper(options: StartZooKeeperOptions = {}): { readonly server: TestingZooKeeper } {
  let server: TestingZooKeeper | undefined;
  beforeAll(async () => {
    server = await startZooKeeper({ source: 'local', ...options });
  });
  afterAll(() => server?.stop());
  return {
    get server() {
      if (!server) throw new Error('ownZooKeeper: the server is started before the tests; use it inside one');
      return server;
    },
  };
}

/** {@link ownZooKeeper} with a {@link faultProxy} in front of it, closed after the tests. */
export function ownZooKeeperBehindProxy(
  options: StartZooKeeperOptions = {},
): { readonly server: TestingZooKeeper; readonly proxy: FaultProxy } {
  const own = ownZooKeeper(options);
  let proxy: FaultProxy | undefined;
  beforeAll(async () => {
    proxy = await faultProxy(own.server.connectString);
  });
  afterAll(() => proxy?.close());
  return {
    get server() {
      return own.server;
    },
    get proxy() {
      if (!proxy) throw new Error('ownZooKeeperBehindProxy: the proxy is started before the tests; use it inside one');
      return proxy;
    },
  };
}

/** A {@link faultProxy} in front of `target`, closed when the current test ends. */
export async function testProxy(target: string): Promise<FaultProxy> {
  const proxy = await faultProxy(target);
  onTestFinished(() => proxy.close());
  return proxy;
}
