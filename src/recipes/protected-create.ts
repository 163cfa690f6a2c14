import { firstValueFrom, timer } from 'rxjs';
import type { CreateMode } from '../model/create-mode.js';
import type { Data } from '../model/data.js';
import type { ZkClient } from '../client/zk-client.js';
import { mayHaveCreated } from '../errors/recipe-errors.js';
import { isInDoubt, SessionExpiredError } from '../errors/zk-error.js';
import { backoffDelay } from '../operators/retry-backoff.js';
import { joinPath } from '../paths/paths.js';
import { isCurrentSession } from './client-session.js';
import { RXZK_NAMING, type NodeNaming } from './node-naming.js';

/**
 * Creates a sequential node with a protected name under `parent` (creating `parent` if needed)
 * on the live session `session`, and resolves with its full path.
 *
 * If the reply is lost with the connection, the create may or may not have happened. The node is
 * then looked up by its unique id once the session is back, and adopted if found and owned by this
 * session; only if it is not there is the create repeated, under the same name. So a lost reply
 * never leaves an orphan and never makes two nodes.
 *
 * A persistent-sequential node outlives the session that made it, so for that mode a create that
 * failed because the session was lost, or that timed out, is just as uncertain: the node is looked
 * for on whatever session is live next, and the look-up itself is repeated (a few times) rather
 * than given up, because giving up would leave the caller to create a second one.
 *
 * The same holds for a node that is not sequential (kazoo's semaphore leases): its name is unique
 * already, and is looked for the same way.
 *
 * @param session The session the node is made for: its id goes into rxzk's names, and an
 *   ephemeral node found after a lost reply is ours only if that session owns it.
 * @param id The participant's id, kept in the name so that others can read the queue from the
 *   child names alone.
 * @param prefixOf The name's prefix: rxzk's protected name by default, or the one another
 *   client's recipe uses (see `namingFor`); it must begin with a fresh unique id.
 */
export async function createProtected(
  zk: ZkClient,
  session: string,
  parent: string,
  id: string,
  data: Data | null,
  mode: Extract<CreateMode, 'ephemeral-sequential' | 'persistent-sequential' | 'ephemeral'> = 'ephemeral-sequential',
  prefixOf: NodeNaming['prefix'] = RXZK_NAMING.prefix,
): Promise<string> {
  const persistent = mode === 'persistent-sequential';
  const prefix = prefixOf(session, id);
  for (let attempt = 0; ; attempt++) {
    try {
      return await zk.create(joinPath(parent, prefix), data, { mode, parents: true });
    } catch (error) {
      if (!mayHaveCreated(error, mode) || attempt >= 5) throw error;
    }
    // The reply was lost: did the create happen? getChildren waits for the connection.
    if (!persistent && !isCurrentSession(zk, session)) {
      throw new SessionExpiredError(`create under ${parent}: the session was lost before the reply came`, { path: parent });
    }
    const mine = await lookUp(zk, parent, prefix, persistent ? 5 : 0);
    if (mine) {
      const path = joinPath(parent, mine);
      const stat = await zk.exists(path);
      const owned = persistent || (stat?.ephemeralOwner === session && isCurrentSession(zk, session));
      if (stat && owned) return path;
    }
  }
}

/** The child of `parent` whose name starts with `prefix`, looking again after transient failures. */
async function lookUp(zk: ZkClient, parent: string, prefix: string, retries: number): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await zk.getChildren(parent)).find((name) => name.startsWith(prefix));
    } catch (error) {
      if (!isInDoubt(error) || attempt >= retries) throw error;
    }
    await firstValueFrom(timer(backoffDelay(attempt + 1), zk.scheduler));
  }
}
