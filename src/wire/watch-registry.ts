import { EventType, WatcherType, type EventTypeCode, type WatcherTypeCode } from './event-types.js';
import type { WatchLists } from './requests.js';
import type { Watcher } from './wire-client.js';

/** The kinds of watch a client holds, as ClientCnxn's ZKWatchManager keeps them. */
export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';

/** One watcher, or several: most watched paths have exactly one, which then costs no Set. */
type Entry = Watcher | Set<Watcher>;

/** Watchers by path for one kind. */
class WatchTable {
  readonly byPath = new Map<string, Entry>();

  get size(): number {
    return this.byPath.size;
  }

  add(path: string, watcher: Watcher): void {
    const entry = this.byPath.get(path);
    if (entry === undefined) this.byPath.set(path, watcher);
    else if (typeof entry === 'function') {
      if (entry !== watcher) this.byPath.set(path, new Set([entry, watcher]));
    } else entry.add(watcher);
  }

  has(path: string): boolean {
    return this.byPath.has(path);
  }

  /** Removes every watcher of `path`, adding them to `out` (each once). */
  takeAll(path: string, out: Watcher[]): void {
    const entry = this.byPath.get(path);
    if (entry === undefined) return;
    this.byPath.delete(path);
    collect(entry, out);
  }

  /** Adds every watcher of `path` to `out` (each once), keeping them. */
  peekAll(path: string, out: Watcher[]): void {
    const entry = this.byPath.get(path);
    if (entry !== undefined) collect(entry, out);
  }

  /** Removes `watcher` (or every watcher, if null) from `path`; returns those removed. */
  remove(path: string, watcher: Watcher | null): Watcher[] {
    const entry = this.byPath.get(path);
    if (entry === undefined) return [];
    if (watcher === null) {
      const removed: Watcher[] = [];
      this.takeAll(path, removed);
      return removed;
    }
    if (typeof entry === 'function') {
      if (entry !== watcher) return [];
      this.byPath.delete(path);
      return [watcher];
    }
    if (!entry.delete(watcher)) return [];
    if (entry.size === 0) this.byPath.delete(path);
    return [watcher];
  }
}

function collect(entry: Entry, out: Watcher[]): void {
  if (typeof entry === 'function') {
    if (!out.includes(entry)) out.push(entry);
  } else {
    for (const watcher of entry) if (!out.includes(watcher)) out.push(watcher);
  }
}

/** What {@link WatchRegistry.remove} took away. */
export interface RemovedWatches {
  /** Each removed watcher with the `*WatchRemoved` event it is owed. */
  readonly removed: { readonly watcher: Watcher; readonly type: EventTypeCode }[];
  /** The watcher types for which no watcher is left on the path: the server may drop those. */
  readonly emptied: WatcherTypeCode[];
}

/** Every path watched, kept per kind, as the session re-registers them on a new connection. */
export interface WatchRegistrySnapshot extends WatchLists {}

/**
 * The client's side of ZooKeeper's watches: which functions to call when the server reports an
 * event on a path, by kind, following ClientCnxn's ZKWatchManager:
 * - A created or data-changed node fires its data and exists watches; a children change its
 *   child watches; a deleted node its data, exists and child watches. One-shot watches are
 *   removed as they fire.
 * - Persistent watches on the path fire for every event and stay. Persistent recursive watches on
 *   the path or any ancestor fire for every event but a children change (the server sends those
 *   only for ordinary child watches; the Java client filters them out the same way).
 * - A function is called once per event even if it is registered under several kinds.
 */
export class WatchRegistry {
  readonly data = new WatchTable();
  readonly exist = new WatchTable();
  readonly child = new WatchTable();
  readonly persistent = new WatchTable();
  readonly persistentRecursive = new WatchTable();

  /** How many (path, kind) pairs are watched. */
  get size(): number {
    return this.data.size + this.exist.size + this.child.size + this.persistent.size + this.persistentRecursive.size;
  }

  add(kind: WatchKind, path: string, watcher: Watcher): void {
    this[kind].add(path, watcher);
  }

  /** Whether anything of `kind` is watched on `path`. */
  has(kind: WatchKind, path: string): boolean {
    return this[kind].has(path);
  }

  /**
   * The watchers an event of `type` on `path` fires (one-shot ones removed), or null for a type
   * this registry does not know (the caller treats that as a protocol error).
   */
  triggered(type: number, path: string): Watcher[] | null {
    const out: Watcher[] = [];
    switch (type) {
      case EventType.nodeCreated:
      case EventType.nodeDataChanged:
        this.data.takeAll(path, out);
        this.exist.takeAll(path, out);
        break;
      case EventType.nodeChildrenChanged:
        this.child.takeAll(path, out);
        break;
      case EventType.nodeDeleted:
        this.data.takeAll(path, out);
        this.exist.takeAll(path, out);
        this.child.takeAll(path, out);
        break;
      default:
        return null;
    }
    if (this.persistent.size > 0) this.persistent.peekAll(path, out);
    if (this.persistentRecursive.size > 0 && type !== EventType.nodeChildrenChanged) {
      for (let at = path; ; ) {
        this.persistentRecursive.peekAll(at, out);
        if (at === '/') break;
        const slash = at.lastIndexOf('/');
        at = slash <= 0 ? '/' : at.slice(0, slash);
      }
    }
    return out;
  }

  /**
   * Removes watchers of `type` from `path`: `watcher` only, or all of that type if null (kinds as
   * ZKWatchManager.removeWatcher groups them: `data` is data and exists watches, `any` is every kind).
   */
  remove(path: string, type: WatcherTypeCode, watcher: Watcher | null): RemovedWatches {
    const removed: { watcher: Watcher; type: EventTypeCode }[] = [];
    const emptied: WatcherTypeCode[] = [];
    const take = (kinds: readonly WatchKind[], serverType: WatcherTypeCode, event: EventTypeCode) => {
      let took = false;
      for (const kind of kinds) {
        for (const w of this[kind].remove(path, watcher)) {
          took = true;
          removed.push({ watcher: w, type: event });
        }
      }
      if (took && kinds.every((kind) => !this[kind].has(path))) emptied.push(serverType);
    };
    const any = type === WatcherType.any;
    if (any || type === WatcherType.children) take(['child'], WatcherType.children, EventType.childWatchRemoved);
    if (any || type === WatcherType.data) take(['data', 'exist'], WatcherType.data, EventType.dataWatchRemoved);
    if (any || type === WatcherType.persistent) take(['persistent'], WatcherType.persistent, EventType.persistentWatchRemoved);
    if (any || type === WatcherType.persistentRecursive) {
      take(['persistentRecursive'], WatcherType.persistentRecursive, EventType.persistentWatchRemoved);
    }
    return { removed, emptied };
  }

  /** Every watched path by kind, for SetWatches. */
  snapshot(): WatchRegistrySnapshot {
    return {
      data: [...this.data.byPath.keys()],
      exist: [...this.exist.byPath.keys()],
      child: [...this.child.byPath.keys()],
      persistent: [...this.persistent.byPath.keys()],
      persistentRecursive: [...this.persistentRecursive.byPath.keys()],
    };
  }

  /** Removes every persistent watch (for a server that cannot take them back); returns the watchers. */
  dropPersistent(): Watcher[] {
    const out: Watcher[] = [];
    for (const table of [this.persistent, this.persistentRecursive]) {
      for (const path of [...table.byPath.keys()]) table.takeAll(path, out);
    }
    return out;
  }

  clear(): void {
    for (const table of [this.data, this.exist, this.child, this.persistent, this.persistentRecursive]) table.byPath.clear();
  }
}

/** Fixed bytes of a SetWatches2 frame: length, header, relativeZxid and five vector counts. */
const SET_WATCHES_OVERHEAD = 4 + 8 + 8 + 5 * 4;

/**
 * Cuts the watched paths into SetWatches packets of at most `maxBytes` each (a single path longer
 * than that goes alone), in ClientCnxn's order: data, exists, child, then the persistent kinds.
 * ClientCnxn cuts at 128 KiB of path characters, which a packet may overshoot by one path and the
 * length fields; this counts the encoded bytes of the whole frame instead, so that no packet is
 * over. A packet that holds persistent watches goes as SetWatches2 (`two`), any other as SetWatches.
 */
export function setWatchesBatches(all: WatchLists, maxBytes: number): { lists: WatchLists; two: boolean }[] {
  const batches: { lists: WatchLists; two: boolean }[] = [];
  const kinds = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'] as const;
  let current = emptyLists();
  let bytes = SET_WATCHES_OVERHEAD;
  let count = 0;
  const cut = () => {
    if (count === 0) return;
    batches.push({ lists: current, two: current.persistent.length > 0 || current.persistentRecursive.length > 0 });
    current = emptyLists();
    bytes = SET_WATCHES_OVERHEAD;
    count = 0;
  };
  for (const kind of kinds) {
    for (const path of all[kind]) {
      const size = 4 + Buffer.byteLength(path);
      if (count > 0 && bytes + size > maxBytes) cut();
      current[kind].push(path);
      bytes += size;
      count++;
    }
  }
  cut();
  return batches;
}

function emptyLists(): { data: string[]; exist: string[]; child: string[]; persistent: string[]; persistentRecursive: string[] } {
  return { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] };
}
