import { describe, expect, it } from 'vitest';
import { NoNodeError } from '../../../src/index.js';
import { testClient, testRoot } from '../../helpers/zk.js';

describe('getChildren and exists', () => {
  it('getChildren resolves with the child names, sorted', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'get-children');
    expect(await zk.getChildren(root)).toEqual([]);
    for (const name of ['zeta', 'alpha', 'mid', 'Alpha', '10', '9']) await zk.create(`${root}/${name}`);
    expect(await zk.getChildren(root)).toEqual(['10', '9', 'Alpha', 'alpha', 'mid', 'zeta']);
  });

  it('getChildren rejects with NoNodeError for a missing node', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'get-children-missing');
    const error = await zk.getChildren(`${root}/missing`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoNodeError);
    expect((error as NoNodeError).path).toBe(`${root}/missing`);
  });

  it('exists resolves with the stat, or null for a missing node', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'exists');
    expect(await zk.exists(`${root}/missing`)).toBeNull();
    await zk.create(`${root}/n`, 'abc');
    await zk.create(`${root}/n/c`);
    const stat = (await zk.exists(`${root}/n`))!;
    expect(stat.dataLength).toBe(3);
    expect(stat.numChildren).toBe(1);
    expect(stat.cversion).toBe(1);
    expect(stat.version).toBe(0);
    expect(stat.pzxid > stat.czxid).toBe(true);
    expect(await zk.exists('/')).not.toBeNull();
  });
});
