import { describe, expect, it } from 'vitest';
import type { ZNode } from '../../../src/model/stat.js';
import { sameTree, TreeModel } from '../../../src/streams/tree-model.js';

const node = (path: string, mzxid: bigint, czxid = 1n): ZNode =>
  ({ path, data: Buffer.from(path), stat: { czxid, mzxid } }) as unknown as ZNode;

/** A model of /r read whole: /r with children a (with child x) and b. */
function loaded(): TreeModel {
  const model = new TreeModel('/r');
  model.setData('/r', node('/r', 1n));
  expect(model.setChildren('/r', ['a', 'b'])).toEqual({ added: ['/r/a', '/r/b'], removed: [] });
  model.setData('/r/a', node('/r/a', 2n));
  model.setData('/r/b', node('/r/b', 3n));
  expect(model.setChildren('/r/a', ['x'])).toEqual({ added: ['/r/a/x'], removed: [] });
  model.setChildren('/r/b', []);
  model.setData('/r/a/x', node('/r/a/x', 4n));
  model.setChildren('/r/a/x', []);
  return model;
}

const paths = (snapshot: ReadonlyMap<string, ZNode> | null) => (snapshot ? [...snapshot.keys()].sort() : null);

describe('TreeModel', () => {
  it('holds what the reads said, and emits it once nothing is pending', () => {
    const model = loaded();
    expect(paths(model.emission(0))).toEqual(['/r', '/r/a', '/r/a/x', '/r/b']);
  });

  it('a child gone from its parent list leaves with its whole subtree, whose watches can go', () => {
    const model = loaded();
    model.emission(0);
    expect(model.setChildren('/r', ['b'])).toEqual({ added: [], removed: ['/r/a', '/r/a/x'] });
    expect(model.tracks('/r/a/x')).toBe(false);
    expect(paths(model.emission(0))).toEqual(['/r', '/r/b']);
  });

  it('a new child is tracked at once, before its first read', () => {
    const model = loaded();
    expect(model.setChildren('/r/b', ['y'])).toEqual({ added: ['/r/b/y'], removed: [] });
    expect(model.tracks('/r/b/y')).toBe(true);
    model.setData('/r/b/y', node('/r/b/y', 9n));
    expect(paths(model.emission(0))).toContain('/r/b/y');
  });

  it('ignores the reply of a read of a node that left the tree while it was out', () => {
    const model = loaded();
    model.setChildren('/r', ['b']);
    model.setData('/r/a', node('/r/a', 7n));
    expect(model.setChildren('/r/a', ['late'])).toEqual({ added: [], removed: [] });
    expect(paths(model.emission(0))).toEqual(['/r', '/r/b']);
  });

  it('a child deleted and re-created before the parent is listed again is read afresh', () => {
    const model = loaded();
    model.emission(0);
    // The child's own read finds it missing...
    expect(model.missing('/r/a')).toEqual(['/r/a', '/r/a/x']);
    // ...then the parent's listing, after the re-creation, is the same as before: its name counts as new.
    expect(model.setChildren('/r', ['a', 'b'])).toEqual({ added: ['/r/a'], removed: [] });
    model.setData('/r/a', node('/r/a', 8n, 8n));
    expect(model.emission(0)?.get('/r/a')?.stat.czxid).toBe(8n);
  });

  it('a missing root empties the tree but stays tracked, to be seen coming back', () => {
    const model = loaded();
    expect(model.missing('/r')).toEqual(['/r', '/r/a', '/r/a/x', '/r/b']);
    expect(model.tracks('/r')).toBe(true);
    expect(paths(model.emission(0))).toEqual([]);
  });

  describe('batching', () => {
    it('waits for the first complete read of a session, then emits at any change', () => {
      const model = new TreeModel('/r');
      expect(model.mayEmit(2)).toBe(false);
      model.setData('/r', node('/r', 1n));
      expect(model.emission(1)).toBeNull();
      model.setChildren('/r', []);
      expect(paths(model.emission(0))).toEqual(['/r']);
      // Settled: later changes go out while other reads are still pending.
      expect(model.mayEmit(5)).toBe(true);
      model.setData('/r', node('/r', 2n));
      expect(model.emission(5)?.get('/r')?.stat.mzxid).toBe(2n);
    });

    it('emits nothing when nothing changed since the last emission', () => {
      const model = loaded();
      model.emission(0);
      model.setData('/r/b', node('/r/b', 3n));
      expect(model.emission(0)).toBeNull();
    });

    it('a new session reads afresh and emits only if the tree differs from the last emission', () => {
      const model = loaded();
      model.emission(0);
      model.reset();
      expect(model.mayEmit(1)).toBe(false);
      // The same tree read again: nothing to emit.
      model.setData('/r', node('/r', 1n));
      model.setChildren('/r', ['a', 'b']);
      model.setData('/r/a', node('/r/a', 2n));
      model.setData('/r/b', node('/r/b', 3n));
      model.setChildren('/r/a', ['x']);
      model.setData('/r/a/x', node('/r/a/x', 4n));
      expect(model.emission(0)).toBeNull();
      // Changed meanwhile: one emission.
      model.setData('/r/b', node('/r/b', 5n));
      expect(model.emission(0)?.get('/r/b')?.stat.mzxid).toBe(5n);
    });

    it('every emission is a snapshot the model no longer changes', () => {
      const model = loaded();
      const first = model.emission(0)!;
      model.setChildren('/r', ['b']);
      expect(first.has('/r/a')).toBe(true);
    });
  });

  it('sameTree compares by czxid and mzxid', () => {
    const a = new Map([['/r', node('/r', 1n)]]);
    expect(sameTree(a, new Map([['/r', node('/r', 1n)]]))).toBe(true);
    expect(sameTree(a, new Map([['/r', node('/r', 2n)]]))).toBe(false);
    expect(sameTree(a, new Map([['/r', node('/r', 1n, 5n)]]))).toBe(false);
    expect(sameTree(a, new Map())).toBe(false);
  });
});
