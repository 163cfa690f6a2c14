import { filter, type Subscription } from 'rxjs';
import { isLive } from '../model/connection-state.js';
import type { ZkClient } from '../client/zk-client.js';
import { isInDoubt } from '../errors/zk-error.js';
import { deleteIfOwned } from './node-idioms.js';

/**
 * Nodes a recipe let go of but could not delete: the delete failed because the session was lost
 * with it pending, or no reply came in time. A session the client presumed lost may still be
 * alive on the server (an ensemble's leader election restarts every session's expiry clock), and
 * its nodes with it: a lock node left so would block the queue until the server expires that
 * session, long after its holder has moved on. So each such node is deleted from the next live
 * session, as soon as there is one, and before what that session's participants send next (this
 * runs on the state change first, having subscribed earlier).
 *
 * A node is deleted only if it is still owned by the session that made it (`owner`), so a node
 * someone else created at the same path since is left alone. Deleting is retried on every live
 * state while it stays in doubt; a final error (no node, no permission) ends it, and so does
 * closing the client (the server expires the old session and its nodes with it).
 */
class LeftoverNodes {
  /** Each node with the session (hex) that owns it (`null`: any owner will do), by both. */
  private readonly pending = new Map<string, { readonly path: string; readonly owner: string | null }>();
  private states: Subscription | null = null;
  private sweeping = false;
  /** Nodes were added while a sweep ran: it goes round once more. */
  private again = false;

  constructor(private readonly zk: ZkClient) {}

  add(path: string, owner: string | null): void {
    this.pending.set(`${owner ?? ''} ${path}`, { path, owner });
    if (this.states) {
      if (isLive(this.zk.state)) void this.sweep();
      return;
    }
    // Replays the current state: a live session sweeps at once.
    this.states = this.zk.state$.pipe(filter((state) => isLive(state) || state === 'closed')).subscribe((state) => {
      if (state === 'closed') return this.stop();
      void this.sweep();
    });
  }

  private async sweep(): Promise<void> {
    if (this.sweeping) {
      this.again = true;
      return;
    }
    this.sweeping = true;
    try {
      do {
        this.again = false;
        for (const [key, { path, owner }] of [...this.pending]) {
          try {
            await deleteIfOwned(this.zk, path, (ephemeralOwner) => owner === null || ephemeralOwner === owner);
          } catch (error) {
            // In doubt again: the next live state tries again (or, if the session stayed live and
            // only the reply was slow, a moment from now).
            if (isInDoubt(error)) {
              if (isLive(this.zk.state)) this.zk.scheduler.schedule(() => void this.sweep(), RETRY_MS);
              return;
            }
            // Otherwise it is gone, changed, or not ours to delete: nothing more to do for it.
          }
          this.pending.delete(key);
        }
      } while (this.again);
    } finally {
      this.sweeping = false;
      if (this.pending.size === 0) this.stop();
    }
  }

  private stop(): void {
    this.pending.clear();
    this.states?.unsubscribe();
    this.states = null;
    leftovers.delete(this.zk);
  }
}

/** How soon a sweep that timed out on a live session tries again. */
const RETRY_MS = 1_000;

const leftovers = new WeakMap<ZkClient, LeftoverNodes>();

/**
 * Deletes `path` from the client's next live session, if it is still owned by `owner` (the
 * session that made it): for a node a recipe withdrew from but could not delete. Returns at once.
 */
export function deleteLater(zk: ZkClient, path: string, owner: string | null): void {
  if (zk.state === 'closed') return;
  let nodes = leftovers.get(zk);
  if (!nodes) {
    nodes = new LeftoverNodes(zk);
    leftovers.set(zk, nodes);
  }
  nodes.add(path, owner);
}
