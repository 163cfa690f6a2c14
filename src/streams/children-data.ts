import { Observable, Subscription } from 'rxjs';
import type { ZNode } from '../model/stat.js';
import { latestNode } from '../operators/latest-node.js';
import { joinPath } from '../paths/paths.js';
import { EventType } from '../wire/event-types.js';
import { readChildren, readDataWhilePresent } from './node-reads.js';
import type { StreamHost } from './stream-host.js';
import { watchedNode } from './watched-node.js';

/**
 * The stream behind `zk.childrenData$(path)`: the data of every child of `path`, keyed by child
 * name (see its doc for the guarantees). One child watch on the parent, read by every watch event
 * (repeats included: a child deleted and created again between two reads leaves the list as it
 * was, and only a read says it is there again), and one data watch per child while it is listed.
 *
 * Not shared: the client shares it per path.
 */
export function childrenDataStream(host: StreamHost, path: string): Observable<ReadonlyMap<string, ZNode>> {
  return childrenDataOf(childrenReads(host, path), (child) => dataWhilePresent(host, joinPath(path, child)));
}

/** Every read of the child names of `path`, repeats included (`children$` emits only changes). */
function childrenReads(host: StreamHost, path: string): Observable<readonly string[] | null> {
  return watchedNode(host, path, 'childrenData', readChildren());
}

/**
 * The node at `path` while it exists: like `data$`, but once a read finds the node missing it
 * emits `null` and reads no more (until a new session), leaving no watch on the server for a path
 * that may never come back. Each subscription reads for itself, so subscribing again reads afresh.
 */
function dataWhilePresent(host: StreamHost, path: string): Observable<ZNode | null> {
  return watchedNode(host, path, 'childrenData', readDataWhilePresent(path), (event) =>
    event.type === EventType.nodeDeleted ? null : undefined,
  ).pipe(latestNode());
}

/**
 * The data of every child, from the parent's list reads and one data stream per child, started
 * when the child is listed and stopped when it leaves. Exported for tests, which drive both.
 */
export function childrenDataOf(
  lists$: Observable<readonly string[] | null>,
  childData$: (name: string) => Observable<ZNode | null>,
): Observable<ReadonlyMap<string, ZNode>> {
  return new Observable<ReadonlyMap<string, ZNode>>((subscriber) => {
    const watches = new Map<string, Subscription>();
    /** Latest data per child; `undefined` until its first read. */
    const latest = new Map<string, ZNode | null | undefined>();
    let listed = false;
    let emitQueued = false;

    const emit = () => {
      emitQueued = false;
      if (!listed) return;
      const nodes = new Map<string, ZNode>();
      for (const [name, node] of latest) {
        if (node === undefined) return; // a child not read yet: wait for it
        if (node !== null) nodes.set(name, node);
      }
      subscriber.next(nodes);
    };
    // Children that change together (one reply batch) give one emission.
    const changed = () => {
      if (emitQueued) return;
      emitQueued = true;
      queueMicrotask(emit);
    };

    const watch = (name: string) => {
      latest.set(name, undefined);
      // Registered before subscribing, so that a value given at once is kept.
      const subscription = new Subscription();
      watches.set(name, subscription);
      subscription.add(
        childData$(name).subscribe({
          next: (node) => {
            if (watches.get(name) !== subscription) return;
            latest.set(name, node);
            changed();
          },
          error: (err: unknown) => subscriber.error(err),
        }),
      );
    };

    // Every read of the list, repeats included: a child deleted and created again between two
    // reads leaves the list unchanged, and its data stream (which stopped at the deletion, leaving
    // no watch behind) must be started again.
    const children = lists$.subscribe({
      next: (names) => {
        const current = new Set(names ?? []);
        let altered = !listed;
        for (const [name, subscription] of watches) {
          if (current.has(name)) continue;
          subscription.unsubscribe();
          watches.delete(name);
          latest.delete(name);
          altered = true;
        }
        for (const name of current) {
          const subscription = watches.get(name);
          if (subscription && latest.get(name) !== null) continue;
          // New, or listed again after its stream saw it go: read it afresh.
          subscription?.unsubscribe();
          watch(name);
          altered = true;
        }
        listed = true;
        if (altered) changed();
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });

    return () => {
      children.unsubscribe();
      for (const watch of watches.values()) watch.unsubscribe();
      watches.clear();
    };
  });
}
