import type { Observable } from 'rxjs';
import type { ZNode } from '../model/stat.js';
import type { ZkClient } from './zk-client.js';

/**
 * The data of every child of `path`, keyed by child name: `zk.childrenData$(path)` as a function
 * of the client, the shape the recipes are written in. See {@link ZkClient.childrenData$}.
 *
 * ## Example
 * ```ts
 * import { childrenData } from 'rxzk';
 * childrenData(zk, '/services/api').subscribe((nodes) => console.log([...nodes.keys()]));
 * // Logs: [ 'a1', 'a2' ]
 * ```
 *
 * @throws InvalidPathError at once for a bad path.
 */
export function childrenData(zk: ZkClient, path: string): Observable<ReadonlyMap<string, ZNode>> {
  return zk.childrenData$(path);
}
