import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  NoChildrenForEphemeralsError,
  NodeExistsError,
  NoNodeError,
  type CreateMode,
} from '../../../src/index.js';
import { testClient, testRoot } from '../../helpers/zk.js';

describe('create', () => {
  it('creates a persistent node by default and resolves with its path', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'create-default');
    expect(await zk.create(`${root}/p`, 'data')).toBe(`${root}/p`);
    const node = await zk.get(`${root}/p`);
    expect(node.data.toString()).toBe('data');
    expect(node.stat.ephemeralOwner).toBe('0');
  });

  it.each([
    ['persistent', false, false],
    ['ephemeral', true, false],
    ['persistent-sequential', false, true],
    ['ephemeral-sequential', true, true],
  ] as [CreateMode, boolean, boolean][])('creates a %s node', async (mode, ephemeral, sequential) => {
    const zk = await testClient();
    const root = await testRoot(zk, `create-${mode}`);
    const created = await zk.create(`${root}/n-`, 'x', { mode });
    if (sequential) expect(created).toMatch(new RegExp(`^${root}/n-\\d{10}$`));
    else expect(created).toBe(`${root}/n-`);
    const stat = (await zk.exists(created))!;
    expect(stat.ephemeralOwner).toBe(ephemeral ? zk.sessionId : '0');
  });

  it('numbers sequential nodes in increasing order under one parent', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'create-sequence');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      created.push(await zk.create(`${root}/${i % 2 ? 'odd' : 'even'}-`, null, { mode: 'persistent-sequential' }));
    }
    const counters = created.map((p) => Number(p.slice(-10)));
    expect(counters).toEqual([...counters].sort((a, b) => a - b));
    expect(new Set(counters).size).toBe(5);
  });

  it('takes a Buffer, a Uint8Array, a string, or nothing as data', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'create-data');
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const view = new Uint8Array(bytes.buffer, 1, 2);
    await zk.create(`${root}/buffer`, Buffer.from([9, 8]));
    await zk.create(`${root}/uint8`, bytes);
    await zk.create(`${root}/view`, view);
    await zk.create(`${root}/text`, 'ünïcödé');
    await zk.create(`${root}/none`);
    await zk.create(`${root}/null`, null);
    expect([...(await zk.get(`${root}/buffer`)).data]).toEqual([9, 8]);
    expect([...(await zk.get(`${root}/uint8`)).data]).toEqual([0, 1, 2, 255]);
    expect([...(await zk.get(`${root}/view`)).data]).toEqual([1, 2]);
    expect((await zk.get(`${root}/text`)).data.toString('utf8')).toBe('ünïcödé');
    expect((await zk.get(`${root}/none`)).data.length).toBe(0);
    expect((await zk.get(`${root}/null`)).data.length).toBe(0);
  });

  it('creates missing parents with parents: true, and refuses without', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'create-parents');
    const error = await zk.create(`${root}/a/b/c`, 'leaf').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoNodeError);
    expect((error as NoNodeError).path).toBe(`${root}/a/b/c`);
    expect((error as NoNodeError).code).toBe(-101);

    expect(await zk.create(`${root}/a/b/c`, 'leaf', { parents: true })).toBe(`${root}/a/b/c`);
    expect((await zk.get(`${root}/a/b/c`)).data.toString()).toBe('leaf');
    expect((await zk.get(`${root}/a`)).data.length).toBe(0);
    // Some parents already there.
    expect(await zk.create(`${root}/a/x/y`, null, { parents: true })).toBe(`${root}/a/x/y`);
    const sequential = await zk.create(`${root}/q/item-`, null, { parents: true, mode: 'ephemeral-sequential' });
    expect(sequential).toMatch(new RegExp(`^${root}/q/item-\\d{10}$`));
  });

  it('rejects with NodeExistsError for an existing node, also with parents: true', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'create-exists');
    await zk.create(`${root}/n`);
    for (const options of [{}, { parents: true }]) {
      const error = await zk.create(`${root}/n`, null, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NodeExistsError);
      expect((error as NodeExistsError).message).toBe(`${root}/n already exists`);
      expect((error as NodeExistsError).code).toBe(-110);
    }
  });

  it('rejects with NoChildrenForEphemeralsError under an ephemeral node', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'create-under-ephemeral');
    await zk.create(`${root}/e`, null, { mode: 'ephemeral' });
    await expect(zk.create(`${root}/e/child`)).rejects.toBeInstanceOf(NoChildrenForEphemeralsError);
  });

  it('throws InvalidArgumentError at once for an unknown mode or an empty ACL', async () => {
    const zk = await testClient();
    expect(() => zk.create('/x', null, { mode: 'container' as CreateMode })).toThrow(InvalidArgumentError);
    expect(() => zk.create('/x', null, { mode: 'container' as CreateMode })).toThrow(
      'create /x: mode must be one of persistent, ephemeral, persistent-sequential, ephemeral-sequential, got container',
    );
    expect(() => zk.create('/x', null, { acl: [] })).toThrow('create /x: acl must be a non-empty array of { perms, scheme, id }, got an empty array');
    expect(() => zk.create('/x', 42 as never)).toThrow(InvalidArgumentError);
  });
});
