import { from, map, Observable, of } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { joinPath } from '../paths/paths.js';
import type { Contender } from './protected-names.js';

/**
 * The participant ids of a queue's contenders, for `leaderId` and `candidates`. rxzk's names
 * carry them; Curator's LeaderLatch and kazoo's Lock (and Election) write them as the node's
 * data, so those are read, once per node: a contender's data is written with its create and never
 * changes. A node that cannot be read (gone meanwhile, or the connection dropped) has the id `''`
 * this time, as kazoo's `contenders()` shows a contender without an identifier, and is read again
 * at the next look.
 */
export class ContenderIds {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly zk: ZkClient,
    private readonly path: string,
  ) {}

  /**
   * The id of every contender of `queue`, by node name. Emits at once, without a read, when every
   * name carries its id or was read before.
   */
  of$(queue: readonly Contender[]): Observable<ReadonlyMap<string, string>> {
    for (const name of this.known.keys()) {
      if (!queue.some((c) => c.name === name)) this.known.delete(name);
    }
    const unread = queue.filter((c) => c.id === null && !this.known.has(c.name));
    const ids = () => new Map(queue.map((c) => [c.name, c.id ?? this.known.get(c.name) ?? ''] as const));
    if (unread.length === 0) return of(ids());
    return from(Promise.all(unread.map((c) => this.read(c.name)))).pipe(map(ids));
  }

  private async read(name: string): Promise<void> {
    try {
      const node = await this.zk.get(joinPath(this.path, name));
      this.known.set(name, node.data.toString('utf8'));
    } catch {
      // Gone, or not readable now: '' this time, read again next time.
    }
  }
}
