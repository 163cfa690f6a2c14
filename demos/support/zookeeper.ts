/**
 * Where the demos get their ZooKeeper: `ZK_CONNECT` when it is set, else an embedded local server
 * started through `rxzk/testing`. When ZooKeeper is not installed, root on Debian/Ubuntu gets the
 * `zookeeper` package installed; everyone else is told the one command that would do it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
  findZooKeeper,
  startZooKeeper,
  ZooKeeperNotFoundError,
  type StartZooKeeperOptions,
  type TestingZooKeeper,
} from '../../src/testing/index.js';

/** A demo could not get a ZooKeeper; the message says what to do. */
export class DemoSetupError extends Error {
  override readonly name = 'DemoSetupError';
}

/**
 * Starts (or finds) the ZooKeeper a demo runs against. Call `stop()` on it when done. The demos
 * read `ZK_CONNECT` themselves: the harness's own variable (`RXZK_TEST_ZOOKEEPER`) is for tests.
 */
export async function demoZooKeeper(options: StartZooKeeperOptions = {}): Promise<TestingZooKeeper> {
  const running = process.env['ZK_CONNECT'];
  if (running) return startZooKeeper({ ...options, source: 'external', connectString: running });
  ensureZooKeeperInstalled();
  return startZooKeeper({ ...options, source: process.env['RXZK_TESTCONTAINERS'] === '1' ? 'container' : 'local' });
}

const INSTALL_TIMEOUT_MS = 10 * 60_000;

function ensureZooKeeperInstalled(): void {
  try {
    findZooKeeper();
    return;
  } catch (error) {
    if (!(error instanceof ZooKeeperNotFoundError)) throw error;
    if (!isDebianLike() || !existsSync('/usr/bin/apt-get')) {
      throw new DemoSetupError(`${error.message}\nOr point the demo at a running ensemble: ZK_CONNECT=host:port`);
    }
    if (process.getuid?.() !== 0) {
      throw new DemoSetupError(
        'ZooKeeper is not installed. Install it with:\n\n  sudo apt-get install -y zookeeper\n\n' +
          'or point the demo at a running ensemble: ZK_CONNECT=host:port npm run demo',
      );
    }
  }
  process.stderr.write("ZooKeeper is not installed: installing Debian's zookeeper package (apt-get install -y zookeeper)...\n");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'zookeeper']]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: INSTALL_TIMEOUT_MS });
    if (result.status !== 0) {
      throw new DemoSetupError(`apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
    }
  }
  findZooKeeper(); // throws, saying why, if the package did not bring what is needed
}

function isDebianLike(): boolean {
  if (existsSync('/etc/debian_version')) return true;
  try {
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}
