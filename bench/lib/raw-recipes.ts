import { randomUUID } from 'node:crypto';
import { RAW_ERROR, RAW_EVENT, type RawClient, type RawException, type RawWatcher } from '../../src/wire/nzc/raw-client.js';
import { OPEN_ACL, rawSessionHex } from './raw.js';

/**
 * The coordination recipes written by hand on the raw client's callbacks: the ZooKeeper
 * algorithms rxzk's `lock`, `leadership`, `register` and `discover` run, with nothing of rxzk's
 * own. The floor of the recipes scenario.
 */

const EPHEMERAL = 1;
const EPHEMERAL_SEQUENTIAL = 3;

/** What a hand-written queue participant does beyond the bare algorithm. */
export interface RawQueueOptions {
  /**
   * With every getChildren, an `exists` of our own node (pipelined, so the same round trip): hold
   * only if it is there and owned by this session. rxzk does this; a naive version skips it.
   */
  readonly checkOwner: boolean;
  /** getData-watch our own node once placed, to notice someone else deleting it (rxzk does). */
  readonly watchOwn: boolean;
}

/** One participant of a queue of sequential nodes (a lock or an election), as it stands. */
export interface RawParticipant {
  /** Deletes our node; `done` once the server has. */
  release(done: (error: RawException | null) => void): void;
  /** Stops reacting (before its client is closed, which takes the node with the session). */
  stop(): void;
}

/** Sequence order of protected names `_c_<uuid>-<session>-<id>-<10 digits>`: by the last 10 characters. */
function bySequence(a: string, b: string): number {
  const x = a.slice(-10);
  const y = b.slice(-10);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Joins the queue under `parent` (ZooKeeper's lock and election recipe): creates a protected
 * ephemeral-sequential node, lists the children (and, with `checkOwner`, checks our node in the
 * same round trip), holds if ours is first, else getData-watches the one just ahead and lists
 * again when it goes. `onStanding` is told after every evaluation whether we hold.
 */
export function rawJoinQueue(
  raw: RawClient,
  parent: string,
  id: string,
  options: RawQueueOptions,
  onStanding: (holds: boolean, participant: RawParticipant) => void,
  onError: (error: Error) => void,
): RawParticipant {
  let node: string | null = null;
  let own = '';
  let ownWatched = false;
  let released = false;
  let failed = false;
  const fail = (error: Error) => {
    if (failed || released) return;
    failed = true;
    onError(error);
  };

  const participant: RawParticipant = {
    release(done) {
      released = true;
      if (node === null) return done(null);
      raw.remove(node, -1, done);
    },
    stop() {
      released = true;
    },
  };

  const ownWatcher: RawWatcher = (event) => {
    if (event.type === RAW_EVENT.NODE_DELETED) fail(new Error(`${node}: deleted by someone else`));
  };

  const evaluate = (): void => {
    if (released || failed) return;
    const path = node!;
    let children: string[] | undefined;
    let owned = !options.checkOwner;
    let pending = options.checkOwner ? 2 : 1;
    const settle = () => {
      if (--pending > 0 || released || failed) return;
      decide(children!, owned);
    };
    raw.getChildren(parent, undefined, (error, names) => {
      if (error) return fail(error);
      children = names ?? [];
      settle();
    });
    if (options.checkOwner) {
      raw.exists(path, undefined, (error, stat) => {
        if (error) return fail(error);
        owned = !!stat && stat.ephemeralOwner.equals(raw.getSessionId());
        settle();
      });
    }
  };

  const decide = (children: string[], owned: boolean): void => {
    const queue = children.filter((name) => name.startsWith('_c_')).sort(bySequence);
    const index = queue.indexOf(own);
    if (index < 0 || !owned) return fail(new Error(`${node}: not in the queue, or not ours`));
    onStanding(index === 0, participant);
    // Like rxzk: the watches go out after the standing is told (a lock released at once sends none).
    if (released || failed) return;
    if (options.watchOwn && !ownWatched) {
      ownWatched = true;
      raw.getData(node!, ownWatcher, (error) => {
        if (error && error.code !== RAW_ERROR.NO_NODE) fail(error);
      });
    }
    if (index === 0) return;
    const ahead = `${parent}/${queue[index - 1]!}`;
    // Any event on the one ahead (it only ever goes) means: list again. getData leaves no watch
    // behind when the node is already gone.
    raw.getData(ahead, () => evaluate(), (error) => {
      if (!error) return;
      if (error.code === RAW_ERROR.NO_NODE) return evaluate();
      fail(error);
    });
  };

  const prefix = `_c_${randomUUID()}-${rawSessionHex(raw)}-${id}-`;
  raw.create(`${parent}/${prefix}`, undefined, OPEN_ACL, EPHEMERAL_SEQUENTIAL, (error, created) => {
    if (error) return fail(error);
    node = created!;
    own = node.slice(parent.length + 1);
    if (released) {
      raw.remove(node, -1, () => {});
      return;
    }
    evaluate();
  });
  return participant;
}

/** Acquires the lock at `parent`, releases it at once, and calls `done` once the release is acknowledged. */
export function rawLockCycle(raw: RawClient, parent: string, options: RawQueueOptions, done: (error: Error | null) => void): void {
  rawJoinQueue(
    raw,
    parent,
    'lock',
    options,
    (holds, participant) => {
      if (holds) participant.release((error) => done(error));
    },
    done,
  );
}

/**
 * Registers a service instance by hand, as rxzk's `register` does: creates the ephemeral node
 * `path` with `json`, then getData-watches it (to notice it being deleted by someone else).
 */
export function rawRegister(raw: RawClient, path: string, json: string, done: (error: RawException | null) => void): void {
  raw.create(path, Buffer.from(json, 'utf8'), OPEN_ACL, EPHEMERAL, (error) => {
    if (error) return done(error);
    raw.getData(path, () => {}, () => {});
    done(null);
  });
}

/**
 * Service discovery by hand, as rxzk's `discover` does: getChildren with a watch on `base`
 * (re-armed on every change, one read in flight); getData with a watch on each child while it is
 * there (re-read when its data changes; dropped as soon as its watch says it was deleted, or a
 * read finds it gone); the decoded instances, sorted by id, handed to `onInstances` once every
 * listed child has been read, and on every change after. Returns how to stop.
 */
export function rawDiscover(
  raw: RawClient,
  base: string,
  onInstances: (instances: readonly { id: string }[]) => void,
  onError: (error: Error) => void,
): () => void {
  let active = true;
  let listing = false;
  let listAgain = false;
  let listed = false;
  /** Decoded data per child; `undefined` until its first read. */
  const instances = new Map<string, { id: string } | undefined>();
  const watchers = new Map<string, RawWatcher>();

  const emit = () => {
    if (!listed) return;
    const all: { id: string }[] = [];
    for (const instance of instances.values()) {
      if (instance === undefined) return;
      all.push(instance);
    }
    all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    onInstances(all);
  };

  const read = (name: string): void => {
    const watcher = watchers.get(name);
    if (!active || !watcher) return;
    raw.getData(`${base}/${name}`, watcher, (error, data) => {
      if (!active || watchers.get(name) !== watcher) return;
      if (error) {
        if (error.code !== RAW_ERROR.NO_NODE) return onError(error);
        watchers.delete(name);
        instances.delete(name);
        return emit();
      }
      try {
        instances.set(name, JSON.parse((data ?? Buffer.alloc(0)).toString('utf8')) as { id: string });
      } catch (parseError) {
        return onError(parseError as Error);
      }
      emit();
    });
  };

  const list = (): void => {
    if (!active) return;
    if (listing) {
      listAgain = true;
      return;
    }
    listing = true;
    raw.getChildren(base, childWatcher, (error, names) => {
      listing = false;
      if (!active) return;
      if (error) return onError(error);
      const current = new Set(names ?? []);
      for (const name of [...watchers.keys()]) {
        if (current.has(name)) continue;
        watchers.delete(name);
        instances.delete(name);
      }
      for (const name of current) {
        if (watchers.has(name)) continue;
        instances.set(name, undefined);
        watchers.set(name, (event) => {
          if (event.type !== RAW_EVENT.NODE_DELETED) return read(name);
          // The event itself says the instance is gone: no read needed to drop it.
          if (!active || !watchers.has(name)) return;
          watchers.delete(name);
          instances.delete(name);
          emit();
        });
        read(name);
      }
      listed = true;
      emit();
      if (listAgain) {
        listAgain = false;
        list();
      }
    });
  };
  const childWatcher: RawWatcher = () => list();
  list();
  return () => {
    active = false;
  };
}
