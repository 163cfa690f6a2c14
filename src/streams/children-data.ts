import { Observable, Subscription } from 'rxjs';
import type { ZNode } from '../client/stat.js';
import type { ZkClient } from '../client/zk-client.js';
import { joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';

/**
 * The data of every child of `path`, keyed by child name: one `children$` watch on the parent
 * and one `data$` watch per child, kept as children come and go (a child's watch starts when it
 * appears and stops when it leaves, never restarted for the others). Emits once every current
 * child has been read, then on every change. An empty map while the parent is missing.
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

    const children = zk.children$(path).subscribe({
      next: (names) => {
        const current = new Set(names ?? []);
        for (const [name, watch] of watches) {
          if (current.has(name)) continue;
          watch.unsubscribe();
          watches.delete(name);
          latest.delete(name);
        }
        for (const name of current) {
          if (watches.has(name)) continue;
          latest.set(name, undefined);
          // Registered before subscribing: a shared stream replays its value synchronously.
          const watch = new Subscription();
          watches.set(name, watch);
          watch.add(
            zk.data$(joinPath(path, name)).subscribe({
              next: (node) => {
                if (watches.get(name) !== watch) return;
                latest.set(name, node);
                changed();
              },
              error: (err: unknown) => subscriber.error(err),
            }),
          );
        }
        listed = true;
        changed();
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
