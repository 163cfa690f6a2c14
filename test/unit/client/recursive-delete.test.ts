import { describe, expect, it } from 'vitest';
import { NoNodeError, NotEmptyError } from '../../../src/index.js';
import { deleteRecursive, RECURSIVE_IN_FLIGHT, type RecursiveDeleteHost } from '../../../src/client/recursive-delete.js';

/** An in-memory tree that answers a little later, like a server, and records what it was asked. */
class FakeTree implements RecursiveDeleteHost {
  readonly children = new Map<string, Set<string>>();
  readonly deletes: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Called before each delete is applied: a way to add children meanwhile. */
  beforeDelete: (path: string) => void = () => undefined;

  add(path: string): void {
    this.children.set(path, this.children.get(path) ?? new Set());
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    if (path !== '/') {
      this.children.set(parent, this.children.get(parent) ?? new Set());
      this.children.get(parent)!.add(path.slice(path.lastIndexOf('/') + 1));
    }
  }

  private async later<T>(answer: () => T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    return answer();
  }

  getChildren(path: string): Promise<string[]> {
    return this.later(() => {
      const names = this.children.get(path);
      if (!names) throw new NoNodeError(`${path} does not exist`);
      return [...names].sort();
    });
  }

  deleteOne(path: string): Promise<void> {
    this.deletes.push(path);
    return this.later(() => {
      this.beforeDelete(path);
      const names = this.children.get(path);
      if (!names) throw new NoNodeError(`${path} does not exist`);
      if (names.size > 0) throw new NotEmptyError(`${path} has children`);
      this.remove(path);
    });
  }

  /** Takes a node out, as someone else's delete would. */
  remove(path: string): void {
    this.children.delete(path);
    this.children.get(path.slice(0, path.lastIndexOf('/')) || '/')?.delete(path.slice(path.lastIndexOf('/') + 1));
  }
}

function tree(branches: number, leaves: number): FakeTree {
  const t = new FakeTree();
  t.add('/');
  t.add('/r');
  for (let b = 0; b < branches; b++) {
    t.add(`/r/b${b}`);
    for (let l = 0; l < leaves; l++) t.add(`/r/b${b}/l${l}`);
  }
  return t;
}

describe('deleteRecursive', () => {
  it('deletes the whole subtree, every child requested before its parent, with a bounded number in flight', async () => {
    const t = tree(30, 40);
    await deleteRecursive(t, '/r', -1);
    expect(t.children.has('/r')).toBe(false);
    expect([...t.children.get('/')!]).toEqual([]);
    expect(t.deletes).toHaveLength(1 + 30 + 30 * 40);
    const at = new Map(t.deletes.map((p, i) => [p, i]));
    for (const path of t.deletes) {
      if (path === '/r') continue;
      expect(at.get(path)!, path).toBeLessThan(at.get(path.slice(0, path.lastIndexOf('/')))!);
    }
    expect(t.maxInFlight).toBeGreaterThan(1);
    expect(t.maxInFlight).toBeLessThanOrEqual(RECURSIVE_IN_FLIGHT);
  });

  it('lists and deletes again when children are added meanwhile', async () => {
    const t = tree(3, 3);
    let added = false;
    t.beforeDelete = (path) => {
      if (path === '/r/b1' && !added) {
        added = true;
        t.add('/r/b1/late');
      }
    };
    await deleteRecursive(t, '/r', -1);
    expect(t.children.has('/r')).toBe(false);
    expect(t.deletes).toContain('/r/b1/late');
  });

  it('is fine with nodes that go meanwhile, and fails with anything else', async () => {
    const gone = tree(2, 2);
    gone.beforeDelete = (path) => {
      if (path === '/r/b0/l0') gone.remove(path);
    };
    await expect(deleteRecursive(gone, '/r', -1)).resolves.toBeUndefined();

    const denied = tree(2, 2);
    const refused = new Error('not authorized');
    denied.beforeDelete = (path) => {
      if (path === '/r/b1/l1') throw refused;
    };
    await expect(deleteRecursive(denied, '/r', -1)).rejects.toBe(refused);
    expect(denied.children.has('/r')).toBe(true);
  });

  it('gives up after a few rounds of children being added, with NotEmptyError', async () => {
    const t = tree(1, 1);
    let n = 0;
    t.beforeDelete = (path) => {
      if (path === '/r') t.add(`/r/again-${n++}`);
    };
    await expect(deleteRecursive(t, '/r', -1)).rejects.toBeInstanceOf(NotEmptyError);
    expect(n).toBe(5);
  });
});
