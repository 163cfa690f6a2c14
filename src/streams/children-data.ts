import { Observable, Subscription } from 'rxjs';
import type { ZNode } from '../model/stat.js';
import type { ZkClient } from '../client/zk-client.js';
import { joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';

/**
 * The data of every child of `path`, keyed by child name: one child watch on the parent and one
 * data watch per child, kept as children come and go (a child's watch starts when it appears and
 * stops when it leaves, never restarted for the others). A deleted child leaves no watch behind on
 * the server. Emits once every current child has been read, then on every change. An empty map
 * while the parent is missing. Hot and shared per client and path, replaying the latest map.
 *
 * ## Example
 * ```ts
 * import { childrenData } from 'rxzk';
 * childrenData(zk, '/services/api').subscribe((nodes) => console.log([...nodes.keys()]));
 * // Logs: [ 'a1', 'a2' ]
 * ```
 */
export function childrenData(zk: ZkClient, path: string): Observable<ReadonlyMap<string, ZNode>> {
  validatePath(path, 'childrenData');
  // Shared per client and path: one child watch and one data watch per child, however many
  // subscribers.
  return zk.shared(`children-data:${path}`, () => childrenDataStream(zk, path));
}

function childrenDataStream(zk: ZkClient, path: string): Observable<ReadonlyMap<string, ZNode>> {
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
        zk.dataWhilePresent$(joinPath(path, name)).subscribe({
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
    const children = zk.childrenReads$(path).subscribe({
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
