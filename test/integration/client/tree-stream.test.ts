import { describe, expect, it } from 'vitest';
import { ancestorsOf, type ZkClient, type ZNode } from '../../../src/index.js';
import { eventually, nextMatching, record, testClient, testRoot } from '../../helpers/zk.js';

type Tree = ReadonlyMap<string, ZNode>;

/** path -> data, for comparing trees. */
const contents = (tree: Tree) =>
  Object.fromEntries([...tree].map(([path, node]) => [path, node.data.toString()] as const).sort(([a], [b]) => (a < b ? -1 : 1)));

/** The subtree as the server holds it, read with one-shot calls. */
async function serverTree(zk: ZkClient, root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const visit = async (path: string): Promise<void> => {
    const node = await zk.get(path);
    result[path] = node.data.toString();
    await Promise.all((await zk.getChildren(path)).map((name) => visit(`${path}/${name}`)));
  };
  await visit(root);
  return result;
}

/** Creates `parents` nodes with `children` each under `root`, in a few transactions. */
async function buildSubtree(zk: ZkClient, root: string, parents: number, children: number): Promise<number> {
  for (let p = 0; p < parents; p++) {
    const tx = zk.transaction().create(`${root}/p${p}`, `parent ${p}`);
    for (let c = 0; c < children; c++) tx.create(`${root}/p${p}/c${c}`, `child ${p}.${c}`);
    await tx.commit();
  }
  return parents * (children + 1);
}

describe('tree$', () => {
  it('follows a subtree through absent, created, nested creates, changes and deletes', async () => {
    const zk = await testClient();
    const base = await testRoot(zk, 'tree-lifecycle');
    const root = `${base}/tree`;
    const tree$ = zk.tree$(root);
    const seen = record(tree$);
    const until = (what: string, check: (tree: Tree) => boolean) => nextMatching(tree$, check, what);

    await eventually(() => seen.values.length === 1, 'the first emission');
    expect(seen.values[0]!.size).toBe(0);

    await zk.create(root, 'r');
    expect(contents(await until('the root', (t) => t.size === 1))).toEqual({ [root]: 'r' });

    await zk.create(`${root}/a/b/c`, 'c', { parents: true });
    const nested = await until('the nested nodes', (t) => t.size === 4);
    expect(contents(nested)).toEqual({ [root]: 'r', [`${root}/a`]: '', [`${root}/a/b`]: '', [`${root}/a/b/c`]: 'c' });
    expect(nested.get(`${root}/a/b/c`)!.path).toBe(`${root}/a/b/c`);

    await zk.set(`${root}/a/b`, 'changed');
    await until('the change deep down', (t) => t.get(`${root}/a/b`)?.data.toString() === 'changed');

    await zk.create(`${root}/a/b/d`, 'd');
    await zk.delete(`${root}/a/b/c`);
    const swapped = await until('a leaf replaced', (t) => t.has(`${root}/a/b/d`) && !t.has(`${root}/a/b/c`));
    expect(contents(swapped)).toEqual(await serverTree(zk, root));

    await zk.delete(`${root}/a`, { recursive: true });
    expect(contents(await until('the branch removed', (t) => t.size === 1))).toEqual({ [root]: 'r' });

    await zk.delete(root);
    await until('the root deleted', (t) => t.size === 0);

    await zk.create(root, 'again');
    await zk.create(`${root}/x`, 'x');
    expect(contents(await until('the re-created tree', (t) => t.size === 2))).toEqual({
      [root]: 'again',
      [`${root}/x`]: 'x',
    });
    expect(seen.errors).toEqual([]);
    expect(seen.completed()).toBe(false);
  });

  it('refuses a concurrency that is not an integer >= 1, naming it', async () => {
    const zk = await testClient();
    for (const concurrency of [0, -3, 1.5, Number.NaN]) {
      expect(() => zk.tree$('/t', { concurrency })).toThrow(`tree$ /t: concurrency must be an integer >= 1, got ${concurrency}`);
    }
    expect(() => zk.tree$('/t', { concurrency: 1 })).not.toThrow();
  });

  it('emits a large existing subtree complete in its first emission', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tree-large');
    const count = await buildSubtree(zk, root, 10, 30);
    const expected = await serverTree(zk, root);
    expect(Object.keys(expected)).toHaveLength(count + 1);

    const seen = record(zk.tree$(root, { concurrency: 8 }));
    await eventually(() => seen.values.length === 1, 'the first emission');
    expect(contents(seen.values[0]!)).toEqual(expected);
  });

  it('keeps up with a subtree growing and shrinking in bulk', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tree-bulk');
    const tree$ = zk.tree$(root);
    const seen = record(tree$);
    await eventually(() => seen.values.length === 1, 'the first emission');

    const count = await buildSubtree(zk, root, 8, 25);
    await nextMatching(tree$, (t) => t.size === count + 1, 'the grown tree');
    expect(contents(seen.values.at(-1)!)).toEqual(await serverTree(zk, root));

    for (let p = 0; p < 8; p += 2) await zk.delete(`${root}/p${p}`, { recursive: true });
    await nextMatching(tree$, (t) => t.size === count / 2 + 1, 'the shrunk tree');
    expect(contents(seen.values.at(-1)!)).toEqual(await serverTree(zk, root));
  });
});

describe('tree$ and nodes deleted and re-created at once', () => {
  it('keeps a child that is deleted and re-created before the tree has caught up', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(zk, 'tree-recreate');
    await writer.create(`${root}/parent/child/leaf`, 'v0', { parents: true });
    const tree$ = zk.tree$(root);
    record(tree$);
    await nextMatching(tree$, (t) => t.size === 4, 'the tree');

    const child = `${root}/parent/child`;
    for (let round = 1; round <= 20; round++) {
      // Pipelined on one connection: the server applies them in this order, back to back.
      await Promise.all([
        writer.delete(`${child}/leaf`),
        writer.delete(child),
        writer.create(child, `c${round}`),
        writer.create(`${child}/leaf`, `v${round}`),
      ]);
    }
    const expected = sorted(await serverTree(zk, root));
    expect(expected[`${child}/leaf`]).toBe('v20');
    await nextMatching(tree$, (t) => JSON.stringify(contents(t)) === JSON.stringify(expected), 'the last incarnations');
  });
});

/** A small deterministic pseudo-random generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('tree$ under a storm of changes', () => {
  it.each([[2], [3], [5], [6], [7], [8]])('converges to what the server holds (seed %i)', async (seed) => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(zk, `tree-storm-${seed}`);
    const tree$ = zk.tree$(root);
    const seen = record(tree$);
    await eventually(() => seen.values.length === 1, 'the first emission');

    // Paths at three levels; each step creates, changes or deletes one of them, whatever happens.
    const names = ['a', 'b', 'c'];
    const paths = names.flatMap((x) => [`${root}/${x}`, ...names.flatMap((y) => [`${root}/${x}/${y}`, `${root}/${x}/${y}/z`])]);
    const next = random(seed);
    const ignore = () => undefined;
    const steps: Promise<unknown>[] = [];
    for (let i = 0; i < 400; i++) {
      const path = paths[Math.floor(next() * paths.length)]!;
      const roll = next();
      if (roll < 0.65) {
        // The missing parents first, each a request of its own, so that the outcome only
        // depends on the seed.
        for (const ancestor of ancestorsOf(path).filter((a) => a.length > root.length)) {
          steps.push(writer.create(ancestor, `p${i}`).catch(ignore));
        }
        steps.push(writer.create(path, `c${i}`).catch(ignore));
      }
      else if (roll < 0.85) steps.push(writer.set(path, `s${i}`).catch(ignore));
      else if (roll < 0.99) steps.push(writer.delete(path).catch(ignore));
      else steps.push(writer.delete(path, { recursive: true }).catch(ignore));
    }
    await Promise.all(steps);
    const expected = await serverTree(zk, root);
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    await eventually(() => JSON.stringify(contents(seen.values.at(-1)!)) === JSON.stringify(sorted(expected)), 'convergence');
    expect(seen.errors).toEqual([]);
  });
});

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
