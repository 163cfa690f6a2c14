import { map, type OperatorFunction } from 'rxjs';
import { contenderOrder, type Contender } from '../protected-names.js';
import type { PositionRule, QueuePosition } from './queue-position.js';

/** Which side of a read/write lock a participant is on. */
export type LockKind = 'read' | 'write';

/**
 * The participant id a reader's node carries in its protected name. Every other id counts as a
 * writer, so a plain `lock` on the same path excludes like a writer.
 */
export const READER_ID = 'read';

/** The participant id a writer's node carries. */
export const WRITER_ID = 'write';

/**
 * Whether a contender is a reader: rxzk's reader id, Curator's `__READ__`, kazoo's `__rlock__`.
 * Everyone else excludes like a writer (plain locks, elections, unknown schemes), which is the
 * safe side.
 */
export function isReader(contender: Contender): boolean {
  if (contender.scheme === 'rxzk') return contender.id === READER_ID;
  return contender.marker === '__READ__' || contender.marker === '__rlock__';
}

/**
 * The read/write lock rule (ZooKeeper's shared-lock recipe; Curator's InterProcessReadWriteLock),
 * over the lock node's children in sequence order, whichever client made them ({@link isReader}
 * tells the readers):
 *
 * - a writer holds when it is first, and otherwise waits on the node just ahead of it;
 * - a reader holds when no writer is ahead of it (readers share), and otherwise waits on the
 *   nearest writer ahead. A reader never overtakes a writer that came first, so a stream of
 *   readers cannot starve a writer.
 *
 * Whenever the node waited on goes, the queue is read again and this rule applied afresh: the
 * reader whose writer left may find another writer ahead (and waits on that one) rather than
 * assuming its turn came (the deadlock kazoo once had).
 */
export function readWritePosition(kind: LockKind): PositionRule {
  return (children, own): QueuePosition => {
    const { queue, strangers } = contenderOrder(children);
    const index = queue.findIndex((p) => p.name === own);
    if (index < 0) return { present: false, holds: false, index: -1, predecessor: null, queue, strangers };
    if (kind === 'write') {
      const predecessor = index === 0 ? null : queue[index - 1]!.name;
      return { present: true, holds: predecessor === null, index, predecessor, queue, strangers };
    }
    let writerAhead: string | null = null;
    for (let i = index - 1; i >= 0 && writerAhead === null; i--) {
      if (!isReader(queue[i]!)) writerAhead = queue[i]!.name;
    }
    return { present: true, holds: writerAhead === null, index, predecessor: writerAhead, queue, strangers };
  };
}

/**
 * {@link readWritePosition} as an operator over the lock node's child lists (a `children$`
 * stream, or successive `getChildren` results); a missing lock node (`null`) means absent.
 *
 * ## Example
 * ```ts
 * import { readWriteQueuePosition } from 'rxzk';
 * zk.children$('/locks/table').pipe(readWriteQueuePosition('read', ownName)).subscribe((p) => console.log(p.holds));
 * // Logs: false (a writer is ahead), then true
 * ```
 */
export function readWriteQueuePosition(kind: LockKind, own: string): OperatorFunction<readonly string[] | null, QueuePosition> {
  const rule = readWritePosition(kind);
  return map((children) => rule(children ?? [], own));
}
