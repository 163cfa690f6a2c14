import { fourLetter } from '../admin/four-letter.js';
import { UnsupportedByZooKeeperSourceError, type TestingZooKeeper } from './testing-zookeeper.js';

/** The official image the container source runs. */
export const ZOOKEEPER_IMAGE = 'zookeeper:3.8';

/**
 * Starts the official ZooKeeper image through testcontainers (an optional peer dependency).
 *
 * Standalone only: an ensemble of containers needs a container network whose members address
 * each other, and Docker gives a restarted container new host ports, so `kill`/`restart` would
 * break the connect string. Use the local-jar source for fault tests.
 */
export async function startContainerZooKeeper(options: { servers: 1 | 3; tickTimeMs: number }): Promise<TestingZooKeeper> {
  if (options.servers !== 1) {
    throw new UnsupportedByZooKeeperSourceError(
      'the container source starts a standalone server only; use source: "local" for an ensemble',
    );
  }
  let testcontainers: typeof import('testcontainers');
  try {
    testcontainers = await import('testcontainers');
  } catch (err) {
    throw new UnsupportedByZooKeeperSourceError(
      'RXZK_TESTCONTAINERS=1 needs the testcontainers package: npm install --save-dev testcontainers',
      { cause: err },
    );
  }
  const { GenericContainer, Wait } = testcontainers;
  const container = await new GenericContainer(ZOOKEEPER_IMAGE)
    .withExposedPorts(2181)
    .withEnvironment({
      ZOO_TICK_TIME: String(options.tickTimeMs),
      ZOO_4LW_COMMANDS_WHITELIST: '*',
      ZOO_MAX_CLIENT_CNXNS: '0',
      ZOO_CFG_EXTRA: `minSessionTimeout=${2 * options.tickTimeMs} maxSessionTimeout=60000`,
    })
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
  const address = `${container.getHost()}:${container.getMappedPort(2181)}`;
  let stopped = false;
  const unsupported = (what: string) => async () => {
    throw new UnsupportedByZooKeeperSourceError(`${what} is not supported by the container source; use source: "local"`);
  };
  return {
    connectString: address,
    size: 1,
    source: 'container',
    address: (i) => {
      if (i !== 0) throw new RangeError(`no ZooKeeper member ${i} (there is 1)`);
      return address;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await container.stop();
    },
    kill: unsupported('kill()'),
    restart: unsupported('restart()'),
    leaderIndex: async () => 0,
    fourLetter: (_i, command) => fourLetter(address, command),
  };
}
