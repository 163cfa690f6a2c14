import { Observable } from 'rxjs';
import { errorFromCode } from '../errors/from-code.js';
import { toZNode, type ZNode } from '../model/stat.js';
import { ErrorCode } from '../wire/error-codes.js';
import { EventType, isWatchRemoval } from '../wire/event-types.js';
import type { Watcher, WireFailure } from '../wire/wire-client.js';
import { baseName, joinPath, parentPath } from '../paths/paths.js';
import { endsWithClient, isLostWithTheConnection, type StreamHost } from './stream-host.js';

/** Options of `tree$`. */
export interface TreeOptions {
  /** Most reads in flight at once while loading or resyncing the tree. Default 64. */
  concurrency?: number;
}

/** Whether two tree snapshots hold the same nodes at the same versions. */
export function sameTree(a: ReadonlyMap<string, ZNode>, b: ReadonlyMap<string, ZNode>): boolean {
  if (a.size !== b.size) return false;
  for (const [path, node] of a) {
    const other = b.get(path);
    if (!other || other.stat.czxid !== node.stat.czxid || other.stat.mzxid !== node.stat.mzxid) return false;
  }
  return true;
}

interface NodeWatchers {
  data: Watcher;
  children: Watcher;
}

/**
 * The subtree below (and including) `root`, kept current with a data watch and a child watch on
 * every node, emitted as an immutable map from absolute path to node.
 *
 * - The first emission is the whole tree, after it has been read completely (an empty map while
 *   the root does not exist); later emissions follow changes, several changes that land together
 *   giving one emission.
 * - Reads are bounded (`concurrency`), so loading a large tree does not flood the server.
 * - After `reconnected` only the reads that were lost are repeated (armed watches survive). After
 *   a new session the tree is read again, bounded as above, and emitted once, and only if it
 *   differs from what was last emitted.
 */
export function treeStream(host: StreamHost, root: string, options: TreeOptions = {}): Observable<ReadonlyMap<string, ZNode>> {
  const concurrency = options.concurrency ?? 64; // checked by tree$
  return new Observable<ReadonlyMap<string, ZNode>>((subscriber) => {
    let active = true;
    let generation = 0;
    let nodes = new Map<string, ZNode>();
    let children = new Map<string, readonly string[]>();
    let lastEmitted: ReadonlyMap<string, ZNode> | null = null;
    /** Whether this session's first complete read has been emitted. */
    let settled = false;
    let emitQueued = false;

    const queue: (() => void)[] = [];
    let running = 0;
    /** Reads queued or in flight. */
    let outstanding = 0;
    const inFlight = new Set<string>();
    const again = new Set<string>();
    /** Reads lost with the connection, repeated on `reconnected`. */
    const lost = new Set<string>();
    const watchers = new Map<string, NodeWatchers>();

    const tracked = (path: string) => path === root || nodes.has(path) || children.has(path);

    const watchersOf = (path: string): NodeWatchers => {
      let w = watchers.get(path);
      if (!w) {
        w = {
          data: (event) => {
            if (!tracked(path) || isWatchRemoval(event.type)) return;
            read('data', path);
            // Only the root is watched while missing; once created, its children need a watch too.
            if (event.type === EventType.nodeCreated) read('children', path);
          },
          children: (event) => {
            if (tracked(path) && !isWatchRemoval(event.type)) read('children', path);
          },
        };
        watchers.set(path, w);
      }
      return w;
    };

    /** Takes a node's watchers off the wire client: it left the tree, or the tree ended. */
    const dropWatchers = (path: string) => {
      const w = watchers.get(path);
      if (!w) return;
      watchers.delete(path);
      const serverPath = host.toServerPath(path);
      host.unwatch(serverPath, w.data);
      host.unwatch(serverPath, w.children);
    };

    const dropAllWatchers = () => {
      for (const path of [...watchers.keys()]) dropWatchers(path);
    };

    const fail = (error: WireFailure, path: string) => {
      active = false;
      subscriber.error(errorFromCode(error.code, path, 'tree$', error));
    };

    const removeSubtree = (path: string) => {
      const below = children.get(path);
      nodes.delete(path);
      children.delete(path);
      if (path !== root) dropWatchers(path);
      for (const name of below ?? []) removeSubtree(joinPath(path, name));
    };

    /**
     * A read of the node itself found it missing. Its name also goes from its parent's list:
     * if the node was re-created meanwhile, the parent's next listing (its child watch
     * guarantees one after the deletion) then counts the name as new and reads it again, where
     * it would otherwise see an unchanged list and lose the node for good.
     */
    const forget = (path: string) => {
      removeSubtree(path);
      if (path === root) return;
      const parent = parentPath(path);
      const siblings = children.get(parent);
      if (siblings) children.set(parent, siblings.filter((name) => name !== baseName(path)));
    };

    const pump = () => {
      while (running < concurrency && queue.length > 0) {
        running++;
        queue.shift()!();
      }
    };

    const finished = () => {
      running--;
      outstanding--;
      pump();
      changed();
    };

    /** Reads one aspect of one node, coalescing: at most one read per node and aspect in flight. */
    const read = (aspect: 'data' | 'children', path: string): void => {
      if (!active) return;
      const key = `${aspect}:${path}`;
      if (inFlight.has(key)) {
        again.add(key);
        return;
      }
      inFlight.add(key);
      outstanding++;
      const readGeneration = generation;
      queue.push(() => {
        const done = (error: WireFailure | null) => {
          // Ended while the read was out: the wire client has just armed the watchers.
          if (!active) return dropAllWatchers();
          if (readGeneration !== generation) return;
          inFlight.delete(key);
          if (error) {
            if (isLostWithTheConnection(error)) lost.add(key);
            else return fail(error, path);
          }
          finished();
          if (again.delete(key)) read(aspect, path);
        };
        const wire = host.live();
        if (!wire) {
          lost.add(key);
          return done(null);
        }
        const serverPath = host.toServerPath(path);
        const w = watchersOf(path);
        if (aspect === 'data') {
          wire.getData(serverPath, w.data, (error, result) => {
            // The node left the tree while this read was out: its watcher was just armed again.
            if (watchers.get(path) !== w) host.unwatch(serverPath, w.data);
            if (error?.code === ErrorCode.noNode) {
              forget(path);
              if (path === root) return watchRoot(done);
              return done(null);
            }
            if (!error && tracked(path)) nodes.set(path, toZNode(path, result!.data, result!.stat));
            done(error);
          });
        } else {
          wire.getChildren(serverPath, w.children, (error, names) => {
            if (watchers.get(path) !== w) host.unwatch(serverPath, w.children);
            if (error?.code === ErrorCode.noNode) {
              forget(path);
              return done(null);
            }
            if (!error && tracked(path)) updateChildren(path, names!.slice().sort());
            done(error);
          });
        }
      });
      pump();
    };

    /** The root is missing: arm an existence watch, and read it if it appeared meanwhile. */
    const watchRoot = (done: (error: WireFailure | null) => void) => {
      const wire = host.live();
      if (!wire) {
        lost.add(`data:${root}`);
        return done(null);
      }
      wire.exists(host.toServerPath(root), watchersOf(root).data, (error, stat) => {
        if (!error && stat) {
          read('children', root);
          again.add(`data:${root}`);
        }
        done(error);
      });
    };

    const updateChildren = (path: string, names: string[]) => {
      const before = new Set(children.get(path) ?? []);
      children.set(path, names);
      for (const name of names) {
        if (before.delete(name)) continue;
        const child = joinPath(path, name);
        children.set(child, children.get(child) ?? []);
        read('data', child);
        read('children', child);
      }
      for (const gone of before) removeSubtree(joinPath(path, gone));
    };

    const emit = () => {
      emitQueued = false;
      if (!active || (!settled && (outstanding > 0 || lost.size > 0))) return;
      settled = true;
      if (lastEmitted && sameTree(lastEmitted, nodes)) return;
      lastEmitted = new Map(nodes);
      subscriber.next(lastEmitted);
    };

    /** Emits once everything pending has been read (first load), or soon after changes (later). */
    const changed = () => {
      if (emitQueued || (!settled && (outstanding > 0 || lost.size > 0))) return;
      emitQueued = true;
      queueMicrotask(emit);
    };

    const load = () => {
      generation++;
      settled = false;
      nodes = new Map();
      children = new Map();
      dropAllWatchers();
      queue.length = 0;
      running = 0;
      outstanding = 0;
      inFlight.clear();
      again.clear();
      lost.clear();
      read('data', root);
      read('children', root);
    };

    const states = host.state$.subscribe((state) => {
      if (endsWithClient(state, subscriber)) {
        active = false;
      } else if (state === 'connected' || (state === 'reconnected' && generation === 0)) {
        load();
      } else if (state === 'reconnected') {
        // Armed watches survive a reconnect; only the reads lost with the connection are repeated.
        for (const key of [...lost]) {
          lost.delete(key);
          const at = key.indexOf(':');
          read(key.slice(0, at) as 'data' | 'children', key.slice(at + 1));
        }
      }
    });

    return () => {
      active = false;
      states.unsubscribe();
      dropAllWatchers();
    };
  });
}
