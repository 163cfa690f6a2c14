import { describe, expect, it } from 'vitest';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

describe('exists$', () => {
  it('follows a node through absent, created, changed, deleted and re-created', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'exists-lifecycle');
    const path = `${root}/node`;
    const seen = record(zk.exists$(path));
    await eventually(() => seen.values.length === 1, 'the first value');
    expect(seen.values[0]).toBeNull();

    await zk.create(path, 'a');
    await eventually(() => seen.values.length === 2, 'the created node');
    expect(seen.values[1]).toEqual(await zk.exists(path));

    const changed = await zk.set(path, 'bb');
    await eventually(() => seen.values.length === 3, 'the change');
    expect(seen.values[2]).toEqual(changed);
    expect(seen.values[2]!.dataLength).toBe(2);

    await zk.delete(path);
    await eventually(() => seen.values.length === 4, 'the deletion');
    expect(seen.values[3]).toBeNull();

    await zk.create(path, 'a');
    await eventually(() => seen.values.length === 5, 'the re-created node');
    expect(seen.values[4]!.version).toBe(seen.values[1]!.version);
    expect(seen.values[4]!.czxid > seen.values[1]!.czxid).toBe(true);
    expect(seen.errors).toEqual([]);
  });

  it('does not emit for a change of children alone', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'exists-children');
    const seen = record(zk.exists$(root));
    await eventually(() => seen.values.length === 1, 'the first value');
    await zk.create(`${root}/child`);
    const changed = await zk.set(root, 'x');
    await eventually(() => seen.values.length >= 2, 'the data change');
    expect(seen.values).toHaveLength(2);
    expect(seen.values[1]).toEqual({ ...changed });
  });
});
