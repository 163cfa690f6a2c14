import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ZooKeeperNotFoundError } from '../errors/tool-errors.js';

/** Where to find the ZooKeeper server classes and the Java runtime that runs them. */
export interface ZooKeeperInstallation {
  /** The java executable. */
  java: string;
  /** The class path holding `org.apache.zookeeper.server.*` and its dependencies. */
  classPath: string;
  /** Where it was found, for messages: `ZOOKEEPER_HOME=...` or `/usr/share/java`. */
  source: string;
}

const DEBIAN_JARS = '/usr/share/java';

export const HOW_TO_GET_ZOOKEEPER = [
  'Get one of:',
  '  - Debian/Ubuntu: apt-get install -y zookeeper   (its jars land in /usr/share/java)',
  '  - a release from https://zookeeper.apache.org/releases.html, unpacked, then',
  '    ZOOKEEPER_HOME=/path/to/apache-zookeeper-3.8.x-bin',
  '  - for tests, an ensemble that is already running: RXZK_TEST_ZOOKEEPER=host:port[,host:port...]',
  '  - Docker: RXZK_TESTCONTAINERS=1 with a reachable Docker engine',
].join('\n');

/**
 * Finds a local Apache ZooKeeper: `ZOOKEEPER_HOME` first (a release tarball: its `lib/` and
 * top-level jars), then the jars of Debian's `zookeeper` package. Throws
 * {@link ZooKeeperNotFoundError} saying how to get one when neither is there.
 */
export function findZooKeeper(env: NodeJS.ProcessEnv = process.env): ZooKeeperInstallation {
  const java = findJava(env);
  const home = env['ZOOKEEPER_HOME'];
  if (home) {
    const jars = [home, join(home, 'lib')].flatMap((dir) => jarsIn(dir));
    if (!jars.some((jar) => /zookeeper-\d[^/]*\.jar$|zookeeper\.jar$/.test(jar))) {
      throw new ZooKeeperNotFoundError(
        `ZOOKEEPER_HOME=${home} holds no zookeeper-*.jar (looked in it and its lib/).\n${HOW_TO_GET_ZOOKEEPER}`,
      );
    }
    return { java, classPath: [join(home, 'conf'), ...jars].join(delimiter), source: `ZOOKEEPER_HOME=${home}` };
  }
  const debianJar = join(DEBIAN_JARS, 'zookeeper.jar');
  if (existsSync(debianJar)) {
    // The Debian jar's manifest names its dependencies; slf4j-simple (when present) turns the
    // server's log on, so a failed start can show why.
    const logging = join(DEBIAN_JARS, 'slf4j-simple.jar');
    const classPath = existsSync(logging) ? [debianJar, logging] : [debianJar];
    return { java, classPath: classPath.join(delimiter), source: DEBIAN_JARS };
  }
  throw new ZooKeeperNotFoundError(`No Apache ZooKeeper found to start.\n${HOW_TO_GET_ZOOKEEPER}`);
}

function findJava(env: NodeJS.ProcessEnv): string {
  const candidates = [
    env['JAVA_HOME'] ? join(env['JAVA_HOME'], 'bin', 'java') : undefined,
    ...(env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, 'java')),
  ].filter((c): c is string => Boolean(c));
  const java = candidates.find((c) => existsSync(c));
  if (!java) {
    throw new ZooKeeperNotFoundError(
      'No Java runtime found to run ZooKeeper (looked at JAVA_HOME and PATH). ' +
        'Install one (Debian/Ubuntu: apt-get install -y zookeeper pulls one in) or set JAVA_HOME.',
    );
  }
  return java;
}

function jarsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jar'))
    .sort()
    .map((name) => join(dir, name));
}
