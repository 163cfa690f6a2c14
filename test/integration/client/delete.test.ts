import { describe, expect, it } from 'vitest';
import { BadVersionError, NoNodeError, NotEmptyError } from '../../../src/index.js';
import { testClient, testRoot } from '../../helpers/zk.js';

describe('delete', () => {
  it('deletes a node', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'delete');
    await zk.create(`${root}/n`);
    await zk.delete(`${root}/n`);
    expect(await zk.exists(`${root}/n`)).toBeNull();
  });

  it('rejects with NoNodeError for a missing node', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'delete-missing');
    const error = await zk.delete(`${root}/missing`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoNodeError);
    expect((error as NoNodeError).path).toBe(`${root}/missing`);
  });

  it('rejects with NotEmptyError for a node with children, and deletes nothing', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'delete-not-empty');
    await zk.create(`${root}/n/child`, null, { parents: true });
    const error = await zk.delete(`${root}/n`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotEmptyError);
    expect((error as NotEmptyError).code).toBe(-111);
    expect((error as NotEmptyError).message).toBe(`${root}/n has children`);
    expect(await zk.getChildren(`${root}/n`)).toEqual(['child']);
  });

  it('with recursive, deletes the whole subtree', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'delete-recursive');
    for (const leaf of ['a/b/c', 'a/b/d', 'a/e', 'f']) await zk.create(`${root}/t/${leaf}`, 'x', { parents: true });
    await zk.create(`${root}/t/a/eph`, null, { mode: 'ephemeral' });
    await zk.delete(`${root}/t`, { recursive: true });
    expect(await zk.exists(`${root}/t`)).toBeNull();
    expect(await zk.getChildren(root)).toEqual([]);
    // A leaf, recursively, is just a delete; a missing node is still NoNode.
    await zk.create(`${root}/leaf`);
    await zk.delete(`${root}/leaf`, { recursive: true });
    await expect(zk.delete(`${root}/leaf`, { recursive: true })).rejects.toBeInstanceOf(NoNodeError);
  });

  it('with a version, deletes only at that version, else rejects with BadVersionError', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'delete-version');
    await zk.create(`${root}/n`, 'v0');
    await zk.set(`${root}/n`, 'v1');
    const error = await zk.delete(`${root}/n`, { version: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadVersionError);
    expect(await zk.exists(`${root}/n`)).not.toBeNull();
    await zk.delete(`${root}/n`, { version: 1 });
    expect(await zk.exists(`${root}/n`)).toBeNull();
  });

  it('with recursive and a version, checks the version of the node itself', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'delete-recursive-version');
    await zk.create(`${root}/n/child`, null, { parents: true });
    await zk.set(`${root}/n`, 'v1');
    await expect(zk.delete(`${root}/n`, { recursive: true, version: 0 })).rejects.toBeInstanceOf(BadVersionError);
    expect(await zk.exists(`${root}/n`)).not.toBeNull();
    await zk.delete(`${root}/n`, { recursive: true, version: 1 });
    expect(await zk.exists(`${root}/n`)).toBeNull();
  });
});
