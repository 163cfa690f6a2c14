import type { RawClient, RawException, RawStat, RawWatcher } from '../../src/wire/nzc/raw-client.js';

export interface RawTreeNode {
  readonly data: Buffer | null | undefined;
  readonly stat: RawStat;
}

/**
 * The raw client doing by hand what `tree$` does: a breadth-first read of a subtree, pipelined
 * with at most `concurrency` requests in flight (tree$'s default bound), getData and getChildren
 * on every node, each with a watch; a fired data watch re-reads the node, a fired child watch
 * re-reads the list and loads new children. No sorting, no snapshots, no dedup of reads: the
 * floor of the work.
 */
export class RawTree {
  readonly nodes = new Map<string, RawTreeNode>();
  private readonly children = new Map<string, readonly string[]>();
  private readonly watchers = new Map<string, { data: RawWatcher; children: RawWatcher }>();
  private readonly queue: (() => void)[] = [];
  private running = 0;
  private outstanding = 0;
  private active = true;
  private loaded = false;

  constructor(
    private readonly raw: RawClient,
    private readonly root: string,
    /** Called after the first complete load, and after every change applied later. */
    private readonly onChange: (tree: RawTree) => void,
    private readonly onError: (error: RawException) => void,
    private readonly concurrency = 64,
  ) {
    this.read('data', root);
    this.read('children', root);
  }

  stop(): void {
    this.active = false;
  }

  private watchersOf(path: string): { data: RawWatcher; children: RawWatcher } {
    let w = this.watchers.get(path);
    if (!w) {
      w = { data: () => this.read('data', path), children: () => this.read('children', path) };
      this.watchers.set(path, w);
    }
    return w;
  }

  private read(aspect: 'data' | 'children', path: string): void {
    if (!this.active) return;
    this.outstanding++;
    this.queue.push(() => {
      const w = this.watchersOf(path);
      if (aspect === 'data') {
        this.raw.getData(path, w.data, (error, data, stat) => {
          if (!error) this.nodes.set(path, { data, stat: stat! });
          this.finished(error);
        });
      } else {
        this.raw.getChildren(path, w.children, (error, names) => {
          if (!error) {
            const before = new Set(this.children.get(path) ?? []);
            const now = names ?? [];
            this.children.set(path, now);
            for (const name of now) {
              if (before.delete(name)) continue;
              const child = `${path}/${name}`;
              this.read('data', child);
              this.read('children', child);
            }
            for (const gone of before) this.forget(`${path}/${gone}`);
          }
          this.finished(error);
        });
      }
    });
    this.pump();
  }

  private forget(path: string): void {
    const below = this.children.get(path) ?? [];
    this.nodes.delete(path);
    this.children.delete(path);
    this.watchers.delete(path);
    for (const name of below) this.forget(`${path}/${name}`);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      this.running++;
      this.queue.shift()!();
    }
  }

  private finished(error: RawException | null): void {
    this.running--;
    this.outstanding--;
    if (!this.active) return;
    // A node deleted under a read is simply gone; anything else ends the tree.
    if (error && error.code !== -101) {
      this.active = false;
      return this.onError(error);
    }
    this.pump();
    if (this.outstanding === 0 || this.loaded) {
      if (this.outstanding === 0) this.loaded = true;
      this.onChange(this);
    }
  }
}

/** Paths of a two-level tree of `size + 1` nodes (root, `size / 100` dirs of 99 leaves), parents first. */
export function treePaths(root: string, size: number): string[] {
  const dirs = Math.max(1, Math.round(size / 100));
  const paths = [root];
  for (let d = 0; d < dirs; d++) paths.push(`${root}/d-${d}`);
  for (let d = 0; d < dirs; d++) for (let n = 0; n < 99; n++) paths.push(`${root}/d-${d}/n-${n}`);
  return paths;
}
