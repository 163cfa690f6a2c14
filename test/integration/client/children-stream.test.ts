import { describe, expect, it } from 'vitest';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

describe('children$', () => {
  it('follows a node through absent, created, children added and removed, deleted and re-created', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'children-lifecycle');
    const path = `${root}/parent`;
    const seen = record(zk.children$(path));
    const step = async (what: string, count: number) => eventually(() => seen.values.length === count, what);

    await step('the first value', 1);
    await zk.create(path);
    await step('the created node', 2);
    await zk.create(`${path}/c`);
    await step('the first child', 3);
    await zk.create(`${path}/a`);
    await step('the second child', 4);
    await zk.create(`${path}/b`);
    await step('the third child', 5);
    await zk.delete(`${path}/a`);
    await step('a child removed', 6);
    await zk.delete(path, { recursive: true });
    await eventually(() => seen.values.at(-1) === null, 'the deletion');
    const beforeRecreate = seen.values.length;
    await zk.create(path);
    await step('the re-created node', beforeRecreate + 1);

    expect(seen.values.slice(0, 6)).toEqual([null, [], ['c'], ['a', 'c'], ['a', 'b', 'c'], ['b', 'c']]);
    // The recursive delete removes the children first; some of those lists may be skipped.
    expect(seen.values.at(-1)).toEqual([]);
    expect(seen.values.at(-2)).toBeNull();
    expect(seen.errors).toEqual([]);
  });

  it('does not emit when only the data of the node or of a child changes', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'children-data');
    await zk.create(`${root}/a`);
    const seen = record(zk.children$(root));
    await eventually(() => seen.values.length === 1, 'the first value');
    await zk.set(root, 'parent data');
    await zk.set(`${root}/a`, 'child data');
    await zk.create(`${root}/b`);
    await eventually(() => seen.values.length >= 2, 'the new child');
    expect(seen.values).toEqual([['a'], ['a', 'b']]);
  });

  it('lists sequential children sorted', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'children-sequential');
    const seen = record(zk.children$(root));
    const created: string[] = [];
    for (let i = 0; i < 3; i++) created.push(await zk.create(`${root}/item-`, null, { mode: 'persistent-sequential' }));
    const names = created.map((p) => p.slice(root.length + 1));
    await eventually(() => seen.values.at(-1)?.length === 3, 'three children');
    expect(seen.values.at(-1)).toEqual([...names].sort());
  });

  it('gives every subscriber the same frozen list: one cannot reorder what the others see', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'children-frozen');
    for (const name of ['a', 'b', 'c']) await zk.create(`${root}/${name}`);
    const first = record(zk.children$(root));
    const second = record(zk.children$(root));
    await eventually(() => first.values.length === 1 && second.values.length === 1, 'both subscribers');
    const names = first.values[0]!;
    expect(second.values[0]).toBe(names);
    expect(Object.isFrozen(names)).toBe(true);
    expect(() => (names as string[]).sort((x, y) => y.localeCompare(x))).toThrow(TypeError);
    expect(second.values[0]).toEqual(['a', 'b', 'c']);
  });
});
