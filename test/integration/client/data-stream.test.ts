import { describe, expect, it } from 'vitest';
import type { ZNode } from '../../../src/index.js';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

const text = (node: ZNode | null) => (node === null ? null : node.data.toString());

describe('data$', () => {
  it('follows a node through absent, created, changed, deleted and re-created', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'data-lifecycle');
    const path = `${root}/node`;
    const seen = record(zk.data$(path));

    await eventually(() => seen.values.length === 1, 'the first value');
    expect(seen.values).toEqual([null]);

    await zk.create(path, 'one');
    await eventually(() => seen.values.length === 2, 'the created node');
    const created = seen.values[1]!;
    expect(created.path).toBe(path);
    expect(created.data.toString()).toBe('one');
    const direct = await zk.exists(path);
    expect(created.stat).toEqual(direct);
    expect(created.stat.version).toBe(0);
    expect(created.stat.ephemeralOwner).toBe('0');
    expect(created.stat.dataLength).toBe(3);

    const changedStat = await zk.set(path, 'two');
    await eventually(() => seen.values.length === 3, 'the change');
    expect(text(seen.values[2]!)).toBe('two');
    expect(seen.values[2]!.stat).toEqual(changedStat);

    await zk.delete(path);
    await eventually(() => seen.values.length === 4, 'the deletion');
    expect(seen.values[3]).toBeNull();

    // Re-created with the same content: version 0 again, as at first. Only czxid/mzxid tell.
    await zk.create(path, 'one');
    await eventually(() => seen.values.length === 5, 'the re-created node');
    const recreated = seen.values[4]!;
    expect(text(recreated)).toBe('one');
    expect(recreated.stat.version).toBe(created.stat.version);
    expect(recreated.stat.czxid > created.stat.czxid).toBe(true);
    expect(seen.values.map(text)).toEqual([null, 'one', 'two', null, 'one']);
    expect(seen.errors).toEqual([]);
    expect(seen.completed()).toBe(false);
  });

  it('converges to a node deleted and re-created at the same version in quick succession', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'data-recreate');
    const path = `${root}/node`;
    await zk.create(path, 'same');
    const seen = record(zk.data$(path));
    await eventually(() => seen.values.length === 1, 'the first value');
    const first = seen.values[0]!;

    await zk.delete(path);
    await zk.create(path, 'same');
    const recreated = (await zk.exists(path))!;
    expect(recreated.version).toBe(first.stat.version);
    await eventually(() => seen.values.at(-1)?.stat.czxid === recreated.czxid, 'the new incarnation');
    expect(text(seen.values.at(-1)!)).toBe('same');
  });

  it('reports an ephemeral node with its owner session', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'data-ephemeral');
    const path = `${root}/mine`;
    await zk.create(path, 'x', { mode: 'ephemeral' });
    const seen = record(zk.data$(path));
    await eventually(() => seen.values.length === 1, 'the node');
    expect(seen.values[0]!.stat.ephemeralOwner).toBe(zk.sessionId);
  });

  it('emits a node with no data as an empty buffer', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'data-empty');
    const seen = record(zk.data$(root));
    await eventually(() => seen.values.length === 1, 'the node');
    expect(Buffer.isBuffer(seen.values[0]!.data)).toBe(true);
    expect(seen.values[0]!.data.length).toBe(0);
  });
});
