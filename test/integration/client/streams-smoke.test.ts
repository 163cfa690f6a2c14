import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/index.js';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

describe('data$ (smoke)', () => {
  it('follows a node through absent, created, changed, deleted', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'data-smoke');
    const path = `${root}/node`;
    const seen = record(zk.data$(path).pipe(utf8()));
    await eventually(() => seen.values.length === 1, 'the first value');
    expect(seen.values).toEqual([null]);
    await zk.create(path, 'one');
    await eventually(() => seen.values.at(-1) === 'one', 'created');
    await zk.set(path, 'two');
    await eventually(() => seen.values.at(-1) === 'two', 'changed');
    await zk.delete(path);
    await eventually(() => seen.values.at(-1) === null && seen.values.length === 4, 'deleted');
    expect(seen.values).toEqual([null, 'one', 'two', null]);
  });
});
