import type { ConnectOptions } from './options.js';
import { ZkClientImpl } from './zk-client-impl.js';
import type { ZkClient } from './zk-client.js';

/**
 * Creates a client for the ZooKeeper ensemble at `connectString` (`host:port[,host:port...]`). It
 * returns at once and connects in the background; `await zk.ready()` to wait for the session.
 *
 * ## Example
 * ```ts
 * import { connect } from 'rxzk';
 * const zk = connect('127.0.0.1:2181', { sessionTimeoutMs: 10_000 });
 * await zk.ready({ timeoutMs: 5_000 });
 * console.log(zk.sessionId !== null);
 * await zk.close();
 * // Logs: true
 * ```
 *
 * @throws InvalidArgumentError at once for a malformed connect string or options.
 */
export function connect(connectString: string, options: ConnectOptions = {}): ZkClient {
  return new ZkClientImpl(connectString, options);
}
