import { map, type Observable } from 'rxjs';
import { leadership, lock, readWriteLock, semaphore, type NodeScheme, type ZkClient } from '../../../src/index.js';
import { contenderOrder } from '../../../src/advanced.js';
import { watchersOf } from '../../helpers/watches.js';
import { eventually, sharedConnectString } from '../../helpers/zk.js';

/** A recipe as both sides take part in it: the same names in the peers' commands. */
export type Recipe = 'lock' | 'read' | 'write' | 'semaphore' | 'leader';

/** An rxzk participant's state, whatever the recipe: leading counts as `acquired`. */
export type HoldState = 'waiting' | 'acquired' | 'lost';

/** rxzk taking part in `recipe` at `path` while subscribed (a semaphore with one permit). */
export function rxzkHold(zk: ZkClient, recipe: Recipe, path: string, scheme: NodeScheme, id: string): Observable<HoldState> {
  switch (recipe) {
    case 'lock':
      return lock(zk, path, { scheme, id }).pipe(map((s) => s.state));
    case 'read':
      return readWriteLock(zk, path).read$({ scheme, id }).pipe(map((s) => s.state));
    case 'write':
      return readWriteLock(zk, path).write$({ scheme, id }).pipe(map((s) => s.state));
    case 'semaphore':
      return semaphore(zk, path, { permits: 1, scheme, id }).pipe(map((s) => s.state));
    case 'leader':
      return leadership(zk, path, { id, scheme }).pipe(map((l): HoldState => (l.isLeader ? 'acquired' : 'waiting')));
  }
}

/** Where a participant's queue node lives (a semaphore's is its lock queue, in its scheme's layout). */
export function queuePathOf(recipe: Recipe, path: string, scheme: NodeScheme): string {
  if (recipe !== 'semaphore') return path;
  return scheme === 'kazoo' ? `${path}-__lock__` : `${path}/locks`;
}

/** Where a semaphore's leases are, in a scheme's layout. */
export function leasesPathOf(path: string, scheme: NodeScheme): string {
  return scheme === 'kazoo' ? path : `${path}/leases`;
}

/** The child of `parent` whose ephemeral owner is `session` (hex), if any. */
export async function nodeOwnedBy(zk: ZkClient, parent: string, session: string): Promise<string | null> {
  for (const child of await zk.getChildren(parent).catch(() => [])) {
    const stat = await zk.exists(`${parent}/${child}`).catch(() => null);
    if (stat && BigInt(`0x${stat.ephemeralOwner}`) === BigInt(`0x${session}`)) return `${parent}/${child}`;
  }
  return null;
}

/**
 * Waits until the participant of session `waiter` has decided to wait for the holder of session
 * `holder`, as the server shows it.
 *
 * In a lock, a read/write lock or an election every client (Curator, kazoo, rxzk) waits by
 * watching the data of the node ahead of its own: the server's watch table then lists the waiter's
 * session on the holder's node. A semaphore's waiter holds the semaphore's lock and watches the
 * leases' child list (which the server's watch listing does not show): there, the waiter's lock
 * node being first in its queue is the last step before the wait.
 */
export async function waitingFor(
  zk: ZkClient,
  recipe: Recipe,
  path: string,
  scheme: NodeScheme,
  waiter: string,
  holder: string,
): Promise<void> {
  const normal = (session: string) => BigInt(`0x${session}`).toString(16);
  if (recipe === 'semaphore') {
    const queue = queuePathOf(recipe, path, scheme);
    await eventually(async () => {
      const first = contenderOrder(await zk.getChildren(queue).catch(() => [])).queue[0];
      if (!first) return false;
      const stat = await zk.exists(`${queue}/${first.name}`);
      return stat !== null && normal(stat.ephemeralOwner) === normal(waiter);
    }, `session ${waiter} to hold the semaphore's lock, waiting for a lease`);
    return;
  }
  await eventually(async () => {
    const held = await nodeOwnedBy(zk, path, holder);
    return held !== null && (await watchersOf(sharedConnectString(), held)).has(normal(waiter));
  }, `session ${waiter} to watch the node of session ${holder}`);
}
