import type { FourLetterCommand } from '../admin/four-letter.js';

/** Where a {@link TestingZooKeeper} comes from. */
export type ZooKeeperSource = 'local' | 'external' | 'container';

/**
 * A running ZooKeeper (standalone server or ensemble) for tests, demos and benchmarks.
 * Member indexes are 0-based.
 */
export interface TestingZooKeeper {
  /** `host:port,...` of every member, for `connect()`. */
  readonly connectString: string;
  /** Number of members (1 for standalone). */
  readonly size: number;
  /** How it was obtained: started from local jars, a container, or an existing ensemble (`RXZK_TEST_ZOOKEEPER`). */
  readonly source: ZooKeeperSource;
  /** `host:port` of member `i`. */
  address(i: number): string;
  /** Stops every process this handle started and removes its data. Safe to call twice. */
  stop(): Promise<void>;
  /** Kills member `i` at once (SIGKILL): no goodbye to clients or peers. */
  kill(i: number): Promise<void>;
  /** Starts member `i` again on the same ports and data directory; resolves once it serves. */
  restart(i: number): Promise<void>;
  /** Index of the member that is currently the ensemble leader (0 for standalone). */
  leaderIndex(): Promise<number>;
  /** Sends a four-letter command (`mntr`, `srvr`, `wchp`, `wchc`, `dump`, `cons`, ...) to member `i`. */
  fourLetter(i: number, command: FourLetterCommand): Promise<string>;
}

/**
 * The environment variable naming a running ensemble (`host:port,...`) that tests use instead of
 * starting one. Only the test harness reads it.
 */
export const TEST_ZOOKEEPER_VARIABLE = 'RXZK_TEST_ZOOKEEPER';
