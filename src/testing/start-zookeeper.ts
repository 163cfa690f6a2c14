import { serversOf } from '../admin/connect-string.js';
import { fourLetter, parseSrvr } from '../admin/four-letter.js';
import { startContainerZooKeeper, ZOOKEEPER_IMAGE } from './container-zookeeper.js';
import { startLocalZooKeeper } from './local-zookeeper.js';
import { UnsupportedByZooKeeperSourceError } from '../errors/tool-errors.js';
import { TEST_ZOOKEEPER_VARIABLE, type TestingZooKeeper, type ZooKeeperSource } from './testing-zookeeper.js';

/** Options for {@link startZooKeeper}. */
export interface StartZooKeeperOptions {
  /** 1 for a standalone server, 3 for an ensemble. Default 1. */
  servers?: 1 | 3;
  /**
   * The server's tick in milliseconds. Default 100, so that session timeouts down to 200 ms are
   * allowed and expiry tests take seconds rather than minutes.
   */
  tickTimeMs?: number;
  /** Smallest session timeout the server grants. Default `2 * tickTimeMs`. */
  minSessionTimeoutMs?: number;
  /** Largest session timeout the server grants. Default 60000. */
  maxSessionTimeoutMs?: number;
  /** The server's `jute.maxbuffer` (largest request, in bytes). Default: ZooKeeper's own, 1048575. */
  juteMaxBuffer?: number;
  /** fsync the transaction log on every write. Default false: test data lives in temp dirs. */
  forceSync?: boolean;
  /** Extra JVM options for each server, e.g. `['-Xmx1g']`. */
  jvmOptions?: readonly string[];
  /** How long to wait for every member to serve. Default 60000. */
  startTimeoutMs?: number;
  /**
   * Where the servers come from. `'auto'` (default): the ensemble named by `RXZK_TEST_ZOOKEEPER`
   * when that is set, else containers when `RXZK_TESTCONTAINERS=1`, else local jars
   * (`ZOOKEEPER_HOME` or Debian's `zookeeper` package). Local jars and containers both support
   * `kill` and `restart`; an existing ensemble does not.
   *
   * `ZK_CONNECT` is not read: it is the command line's and the demos' default target, and a
   * test run must never write to an ensemble only because a shell exported it for them.
   */
  source?: 'auto' | ZooKeeperSource;
  /**
   * The running ensemble (`host:port,...`) that source `'external'` hands out. Default:
   * `RXZK_TEST_ZOOKEEPER`.
   */
  connectString?: string;
  /**
   * The image the container source runs. Default: `RXZK_ZOOKEEPER_IMAGE`, else the official
   * `zookeeper:3.8`. Any image that reads `/conf/zoo.cfg`, keeps its data in `/data`, and honours
   * `ZOO_MY_ID` and `JVMFLAGS` will do, such as the one `scripts/zookeeper-image.sh` builds
   * without a registry.
   */
  image?: string;
}

/**
 * Starts a real Apache ZooKeeper for tests: a standalone server or a 3-member ensemble on free
 * loopback ports with fresh temporary data directories. Resolves once every member serves.
 *
 * Every process it starts is stopped by `stop()`, when this Node process exits, and, through a
 * watchdog, when this Node process is killed outright.
 *
 * ## Example
 * ```ts
 * import { connect } from 'rxzk';
 * import { startZooKeeper } from 'rxzk/testing';
 * const server = await startZooKeeper();
 * const zk = connect(server.connectString);
 * await zk.ready();
 * console.log(await zk.exists('/zookeeper') !== null);
 * await zk.close();
 * await server.stop();
 * // Logs: true
 * ```
 */
export async function startZooKeeper(options: StartZooKeeperOptions = {}): Promise<TestingZooKeeper> {
  const servers = options.servers ?? 1;
  if (servers !== 1 && servers !== 3) throw new RangeError(`servers must be 1 or 3, got ${String(servers)}`);
  const tickTimeMs = options.tickTimeMs ?? 100;
  const source = resolveSource(options.source ?? 'auto');
  const settings = {
    servers,
    tickTimeMs,
    minSessionTimeoutMs: options.minSessionTimeoutMs ?? 2 * tickTimeMs,
    maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 60_000,
    juteMaxBuffer: options.juteMaxBuffer,
    forceSync: options.forceSync ?? false,
    jvmOptions: options.jvmOptions ?? [],
    startTimeoutMs: options.startTimeoutMs ?? 60_000,
  };
  switch (source) {
    case 'external':
      return externalZooKeeper(options.connectString ?? process.env[TEST_ZOOKEEPER_VARIABLE] ?? '');
    case 'container':
      return startContainerZooKeeper({
        ...settings,
        image: options.image ?? (process.env['RXZK_ZOOKEEPER_IMAGE'] || ZOOKEEPER_IMAGE),
      });
    case 'local':
      return startLocalZooKeeper(settings);
  }
}

function resolveSource(source: 'auto' | ZooKeeperSource): ZooKeeperSource {
  if (source !== 'auto') return source;
  if (process.env[TEST_ZOOKEEPER_VARIABLE]) return 'external';
  if (process.env['RXZK_TESTCONTAINERS'] === '1') return 'container';
  return 'local';
}

/** An ensemble someone else runs: nothing to start or stop, no process control. */
function externalZooKeeper(connectString: string): TestingZooKeeper {
  const addresses = serversOf(connectString);
  if (addresses.length === 0) {
    throw new UnsupportedByZooKeeperSourceError(
      `source "external" needs the connectString option or ${TEST_ZOOKEEPER_VARIABLE}=host:port[,host:port...]`,
    );
  }
  const address = (i: number) => {
    const a = addresses[i];
    if (!a) throw new RangeError(`no ZooKeeper member ${i} in ${addresses.join(',')} (there are ${addresses.length})`);
    return a;
  };
  const noControl = (what: string) => async () => {
    throw new UnsupportedByZooKeeperSourceError(
      `${what} needs a ZooKeeper this process started; ${addresses.join(',')} is one it did not start (use source: 'local')`,
    );
  };
  return {
    connectString: addresses.join(','),
    size: addresses.length,
    source: 'external',
    address,
    stop: async () => {},
    kill: noControl('kill()'),
    restart: noControl('restart()'),
    async leaderIndex() {
      const modes = await Promise.all(
        addresses.map(async (a) => parseSrvr(await fourLetter(a, 'srvr').catch(() => '')).mode),
      );
      const leader = modes.findIndex((m) => m === 'leader' || m === 'standalone');
      if (leader < 0) throw new Error(`no member of ${addresses.join(',')} is leading (modes: ${modes.join(', ')})`);
      return leader;
    },
    fourLetter: (i, command) => fourLetter(address(i), command),
  };
}
