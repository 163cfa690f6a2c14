import { Observable } from 'rxjs';
import { errorFromCode } from '../errors/from-code.js';
import { toZNode, type ZNode } from '../model/stat.js';
import { ErrorCode } from '../wire/error-codes.js';
import { EventType, isWatchRemoval } from '../wire/event-types.js';
import type { Watcher, WireFailure } from '../wire/wire-client.js';
import { ReadPump, type Aspect, type ReadReply } from './read-pump.js';
import { endsWithClient, isLostWithTheConnection, type StreamHost } from './stream-host.js';
import { TreeModel } from './tree-model.js';

/** Options of `tree$`. */
export interface TreeOptions {
  /** Most reads in flight at once while loading or resyncing the tree. Default 64. */
  concurrency?: number;
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
 *
 * Three parts: the {@link TreeModel} (what is known of the tree, and when to emit it), the
 * {@link ReadPump} (which reads run when), and this glue: the watchers, the reads themselves, and
 * the connection's states.
 */
export function treeStream(host: StreamHost, root: string, options: TreeOptions = {}): Observable<ReadonlyMap<string, ZNode>> {
  const concurrency = options.concurrency ?? 64; // checked by tree$
  return new Observable<ReadonlyMap<string, ZNode>>((subscriber) => {
    let active = true;
    let loaded = false;
    let emitQueued = false;
    const model = new TreeModel(root);
    const watchers = new Map<string, NodeWatchers>();

    const read = (aspect: Aspect, path: string) => {
      if (active) pump.request(aspect, path);
    };

    const watchersOf = (path: string): NodeWatchers => {
      let w = watchers.get(path);
      if (!w) {
        w = {
          data: (event) => {
            if (!model.tracks(path) || isWatchRemoval(event.type)) return;
            read('data', path);
            // Only the root is watched while missing; once created, its children need a watch too.
            if (event.type === EventType.nodeCreated) read('children', path);
          },
          children: (event) => {
            if (model.tracks(path) && !isWatchRemoval(event.type)) read('children', path);
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

    /** Paths that left the tree: their watchers go (the root's stay, to see it come back). */
    const left = (paths: readonly string[]) => {
      for (const path of paths) if (path !== root) dropWatchers(path);
    };

    const fail = (error: WireFailure, path: string) => {
      active = false;
      subscriber.error(errorFromCode(error.code, path, 'tree$', error));
    };

    /** Whether a reply is to be applied: the tree goes on, and the read is of this session. */
    const applies = (reply: ReadReply): boolean => {
      // Ended while the read was out: the wire client has just armed the watchers.
      if (!active) {
        dropAllWatchers();
        return false;
      }
      return !reply.stale;
    };

    /** Ends a read whose reply was applied: lost with the connection, done, or failed for good. */
    const finish = (reply: ReadReply, path: string, error: WireFailure | null, lost = false) => {
      if (error && !isLostWithTheConnection(error)) return fail(error, path);
      reply.done(lost || error !== null);
    };

    const readNode = (aspect: Aspect, path: string, reply: ReadReply) => {
      const wire = host.live();
      if (!wire) return finish(reply, path, null, true);
      const serverPath = host.toServerPath(path);
      const w = watchersOf(path);
      if (aspect === 'data') {
        wire.getData(serverPath, w.data, (error, result) => {
          // The node left the tree while this read was out: its watcher was just armed again.
          if (watchers.get(path) !== w) host.unwatch(serverPath, w.data);
          if (!applies(reply)) return;
          if (error?.code === ErrorCode.noNode) {
            left(model.missing(path));
            if (path === root) return watchRoot(reply);
            return finish(reply, path, null);
          }
          if (!error) model.setData(path, toZNode(path, result!.data, result!.stat));
          finish(reply, path, error);
        });
      } else {
        wire.getChildren(serverPath, w.children, (error, names) => {
          if (watchers.get(path) !== w) host.unwatch(serverPath, w.children);
          if (!applies(reply)) return;
          if (error?.code === ErrorCode.noNode) {
            left(model.missing(path));
            return finish(reply, path, null);
          }
          if (!error) {
            const { added, removed } = model.setChildren(path, names!.slice().sort());
            left(removed);
            for (const child of added) {
              read('data', child);
              read('children', child);
            }
          }
          finish(reply, path, error);
        });
      }
    };

    /** The root is missing: arm an existence watch, and read it if it appeared meanwhile. */
    const watchRoot = (reply: ReadReply) => {
      const wire = host.live();
      if (!wire) return finish(reply, root, null, true);
      wire.exists(host.toServerPath(root), watchersOf(root).data, (error, stat) => {
        if (!applies(reply)) return;
        if (!error && stat) {
          read('children', root);
          // The data read in flight (this one) is made once more when it ends.
          read('data', root);
        }
        finish(reply, root, error);
      });
    };

    const emit = () => {
      emitQueued = false;
      if (!active) return;
      const snapshot = model.emission(pump.pending);
      if (snapshot) subscriber.next(snapshot);
    };

    /** Emits once everything pending has been read (first load), or soon after changes (later). */
    const changed = () => {
      if (emitQueued || !model.mayEmit(pump.pending)) return;
      emitQueued = true;
      queueMicrotask(emit);
    };

    const pump = new ReadPump(concurrency, readNode, changed);

    const load = () => {
      loaded = true;
      model.reset();
      dropAllWatchers();
      pump.reset();
      read('data', root);
      read('children', root);
    };

    const states = host.state$.subscribe((state) => {
      if (endsWithClient(state, subscriber)) {
        active = false;
      } else if (state === 'connected' || (state === 'reconnected' && !loaded)) {
        load();
      } else if (state === 'reconnected') {
        // Armed watches survive a reconnect; only the reads lost with the connection are repeated.
        pump.repeatLost();
      }
    });

    return () => {
      active = false;
      states.unsubscribe();
      dropAllWatchers();
    };
  });
}
