import { randomUUID } from 'node:crypto';
import type { CreateMode, Data } from '../client/call-options.js';
import type { ZkClient } from '../client/zk-client.js';
import { ConnectionLossError, SessionExpiredError } from '../errors/zk-error.js';
import { joinPath } from '../paths/paths.js';
import { protectedPrefix } from './protected-names.js';

/**
 * Creates a sequential node with a protected name under `parent` (creating `parent` if needed)
 * and resolves with its full path.
 *
 * If the reply is lost with the connection, the create may or may not have happened. The node is
 * then looked up by its unique id once the session is back, and adopted if found and owned by this
 * session; only if it is not there is the create repeated, under the same name. So a lost reply
 * never leaves an orphan and never makes two nodes.
 *
 * @param id The participant's id, kept in the name so that others can read the queue from the
 *   child names alone.
 */
export async function createProtected(
  zk: ZkClient,
  parent: string,
  id: string,
  data: Data | null,
  mode: Extract<CreateMode, 'ephemeral-sequential' | 'persistent-sequential'> = 'ephemeral-sequential',
): Promise<string> {
  const session = zk.sessionId;
  if (session === null) throw new SessionExpiredError(`create under ${parent}: no live session`, { path: parent });
  const prefix = protectedPrefix(randomUUID(), session, id);
  for (let attempt = 0; ; attempt++) {
    try {
      return await zk.create(joinPath(parent, prefix), data, { mode, parents: true });
    } catch (error) {
      if (!(error instanceof ConnectionLossError) || attempt >= 5) throw error;
    }
    // The reply was lost: did the create happen? getChildren waits for the connection.
    if (zk.sessionId !== session) {
      throw new SessionExpiredError(`create under ${parent}: the session was lost before the reply came`, { path: parent });
    }
    const mine = (await zk.getChildren(parent)).find((name) => name.startsWith(prefix));
    if (mine) {
      const path = joinPath(parent, mine);
      const stat = await zk.exists(path);
      const owned = mode === 'persistent-sequential' || (stat?.ephemeralOwner === session && zk.sessionId === session);
      if (stat && owned) return path;
    }
  }
}
