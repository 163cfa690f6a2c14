import { errorCodeName } from './error-codes.js';

/**
 * A request failed with ZooKeeper error `code`: the server's answer, or the client's own
 * (connection loss, session expired, auth failed) for a request that got none. The same shape as
 * the coded errors node-zookeeper-client passes to its callbacks (`code`, `path`), so the layers
 * above map it to their typed errors the same way.
 */
export class WireError extends Error {
  override name = 'WireError';
  constructor(
    /** ZooKeeper's error code (negative). */
    readonly code: number,
    /** What was asked (`'getData'`). */
    readonly operation: string,
    /** The server path the request was about, if it was about one. */
    readonly path?: string,
  ) {
    super(`${operation}${path === undefined ? '' : ` ${path}`}: ${errorCodeName(code)} (${code})`);
  }
}
