import type { ZNode } from '../model/stat.js';
import { baseName, joinPath, parentPath } from '../paths/paths.js';

/** Whether two tree snapshots hold the same nodes at the same versions. */
export function sameTree(a: ReadonlyMap<string, ZNode>, b: ReadonlyMap<string, ZNode>): boolean {
  if (a.size !== b.size) return false;
  for (const [path, node] of a) {
    const other = b.get(path);
    if (!other || other.stat.czxid !== node.stat.czxid || other.stat.mzxid !== node.stat.mzxid) return false;
  }
  return true;
}

/**
 * What `tree$` knows of a subtree: each node's data and child names as read so far, kept
 * consistent as reads come in, and when to emit it. Pure: it reads nothing and arms no watch; it
 * says which nodes are new (to be read) and which left (whose watches can go).
 *
 * - A node belongs to the tree once its parent lists it (or it is the root), and leaves with its
 *   whole subtree when its parent's list no longer has it or a read finds it missing.
 * - The first emission of a session waits until nothing is pending (every node read once); later
 *   ones go as soon as the glue asks, several changes landing together giving one.
 * - After a new session the tree is read again from scratch and emitted only if it differs from
 *   what was last emitted.
 */
export class TreeModel {
  private nodes = new Map<string, ZNode>();
  private children = new Map<string, readonly string[]>();
  private lastEmitted: ReadonlyMap<string, ZNode> | null = null;
  /** Whether this session's first complete read has been emitted (or found unchanged). */
  private settled = false;

  constructor(readonly root: string) {}

  /** Whether `path` belongs to the tree: the root, or a node listed by its parent. */
  tracks(path: string): boolean {
    return path === this.root || this.nodes.has(path) || this.children.has(path);
  }

  /** Starts over, for a new session: nothing is known, and nothing emitted in it yet. */
  reset(): void {
    this.nodes = new Map();
    this.children = new Map();
    this.settled = false;
  }

  /** A read of a node's data; ignored if the node left the tree while it was out. */
  setData(path: string, node: ZNode): void {
    if (this.tracks(path)) this.nodes.set(path, node);
  }

  /**
   * A read of a node's child names (sorted); ignored if the node left the tree while it was out.
   * Returns the children that are new (to read) and every path that left the tree with the
   * children that are gone (their subtrees included).
   */
  setChildren(path: string, names: readonly string[]): { added: string[]; removed: string[] } {
    const added: string[] = [];
    const removed: string[] = [];
    if (!this.tracks(path)) return { added, removed };
    const before = new Set(this.children.get(path) ?? []);
    this.children.set(path, names);
    for (const name of names) {
      if (before.delete(name)) continue;
      const child = joinPath(path, name);
      this.children.set(child, this.children.get(child) ?? []);
      added.push(child);
    }
    for (const gone of before) this.removeSubtree(joinPath(path, gone), removed);
    return { added, removed };
  }

  /**
   * A read of the node itself found it missing: it leaves with its subtree (returned, as
   * {@link setChildren} does). Its name also goes from its parent's list: if the node was
   * re-created meanwhile, the parent's next listing (its child watch guarantees one after the
   * deletion) then counts the name as new and reads it again, where it would otherwise see an
   * unchanged list and lose the node for good.
   */
  missing(path: string): string[] {
    const removed: string[] = [];
    this.removeSubtree(path, removed);
    if (path === this.root) return removed;
    const siblings = this.children.get(parentPath(path));
    if (siblings) this.children.set(parentPath(path), siblings.filter((name) => name !== baseName(path)));
    return removed;
  }

  /**
   * Whether an emission may be due: once this session's tree has been emitted, at any change;
   * before, only once no read is `pending` (queued, in flight, or lost with the connection).
   */
  mayEmit(pending: number): boolean {
    return this.settled || pending === 0;
  }

  /**
   * The snapshot to emit now, or `null`: nothing may be emitted yet (see {@link mayEmit}), or
   * the tree is what was last emitted.
   */
  emission(pending: number): ReadonlyMap<string, ZNode> | null {
    if (!this.mayEmit(pending)) return null;
    this.settled = true;
    if (this.lastEmitted && sameTree(this.lastEmitted, this.nodes)) return null;
    this.lastEmitted = new Map(this.nodes);
    return this.lastEmitted;
  }

  private removeSubtree(path: string, removed: string[]): void {
    const below = this.children.get(path);
    this.nodes.delete(path);
    this.children.delete(path);
    removed.push(path);
    for (const name of below ?? []) this.removeSubtree(joinPath(path, name), removed);
  }
}
