import type { ACL } from '../model/acl.js';
import type { CreateMode } from '../model/create-mode.js';
import type { Data } from '../model/data.js';
import type { Stat } from '../model/stat.js';
import type { CallOptions } from './call-options.js';

/** The result of one step of a committed transaction, in step order. */
export type TransactionResult =
  | { readonly type: 'create'; readonly path: string }
  | { readonly type: 'set'; readonly stat: Stat }
  | { readonly type: 'delete' }
  | { readonly type: 'check' };

/**
 * Steps applied atomically by {@link Transaction.commit}: all of them, or none. Build it with
 * `zk.transaction()`, chain steps, then commit. Each step checks its arguments as the client's
 * own call of the same name does, and throws at once for bad input.
 *
 * A transaction is never re-sent after a connection loss (a repeat of one that took effect would
 * fail on its own creates); it rejects with ConnectionLossError and the caller decides.
 *
 * ## Example
 * ```ts
 * const results = await zk
 *   .transaction()
 *   .check('/app/config', 3)
 *   .set('/app/config', '{"v":4}')
 *   .create('/app/history/v4', '...')
 *   .commit();
 * console.log(results.map((r) => r.type));
 * // Logs: [ 'check', 'set', 'create' ]
 * ```
 */
export interface Transaction {
  /** Creates a node. @throws on bad input. */
  create(path: string, data?: Data | null, options?: { mode?: CreateMode; acl?: readonly ACL[] }): this;

  /** Sets a node's data; with `version`, only at that version. @throws on bad input. */
  set(path: string, data: Data, options?: { version?: number }): this;

  /** Deletes a node; with `version`, only at that version. @throws on bad input. */
  delete(path: string, options?: { version?: number }): this;

  /** Fails the transaction unless the node is at `version`. @throws on bad input. */
  check(path: string, version: number): this;

  /**
   * Applies every step atomically and resolves with one result per step. If a step fails,
   * nothing is applied and it rejects with that step's typed error (e.g. BadVersionError),
   * whose message names the step.
   *
   * @throws DataTooLargeError at once if the whole transaction is over the request size limit.
   */
  commit(options?: CallOptions): Promise<TransactionResult[]>;
}
