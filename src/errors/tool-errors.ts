// Errors of the tools around the client: four-letter admin commands, the command line and the
// test harness (`rxzk/testing`). None stands for a ZooKeeper error code, so none carries one.
import { ZkError } from './zk-error.js';

/** A four-letter command could not be answered (server down, command not whitelisted, timeout). */
export class FourLetterError extends ZkError {
  override name = 'FourLetterError';
  constructor(
    message: string,
    /** `host:port` of the server asked. */
    readonly address: string,
    /** The command (`'srvr'`, `'mntr'`...). */
    readonly command: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }
}

/** No server of the connect string could be reached; the message says why (the last socket error). */
export class ConnectError extends ZkError {
  override name = 'ConnectError';
}

/** No local ZooKeeper (or no Java) could be found to start; the message says how to get one. */
export class ZooKeeperNotFoundError extends ZkError {
  override name = 'ZooKeeperNotFoundError';
}

/**
 * The operation needs process control the test server's source does not give (e.g. `kill` on an
 * existing ensemble the harness did not start).
 */
export class UnsupportedByZooKeeperSourceError extends ZkError {
  override name = 'UnsupportedByZooKeeperSourceError';
}
