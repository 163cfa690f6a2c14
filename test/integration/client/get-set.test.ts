import { describe, expect, it } from 'vitest';
import { BadVersionError, InvalidArgumentError, NoNodeError } from '../../../src/index.js';
import { testClient, testRoot } from '../../helpers/zk.js';

describe('get and set', () => {
  it('get resolves with path, data and stat', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'get');
    await zk.create(`${root}/n`, 'hello');
    const node = await zk.get(`${root}/n`);
    expect(node.path).toBe(`${root}/n`);
    expect(node.data.toString()).toBe('hello');
    expect(node.stat).toEqual(await zk.exists(`${root}/n`));
    expect(typeof node.stat.czxid).toBe('bigint');
    expect(node.stat.mtime).toBeGreaterThan(0);
  });

  it('get rejects with NoNodeError naming the path', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'get-missing');
    const error = await zk.get(`${root}/missing`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoNodeError);
    expect((error as NoNodeError).path).toBe(`${root}/missing`);
    expect((error as NoNodeError).message).toBe(`${root}/missing does not exist`);
  });

  it('set without a version replaces the data and resolves with the new stat', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'set');
    await zk.create(`${root}/n`, 'v0');
    const stat = await zk.set(`${root}/n`, 'v1');
    expect(stat.version).toBe(1);
    expect(stat.dataLength).toBe(2);
    const node = await zk.get(`${root}/n`);
    expect(node.data.toString()).toBe('v1');
    expect(node.stat).toEqual(stat);
    expect((await zk.set(`${root}/n`, Buffer.alloc(0))).dataLength).toBe(0);
  });

  it('set with a version applies only at that version, else rejects with BadVersionError', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'set-version');
    await zk.create(`${root}/n`, 'v0');
    expect((await zk.set(`${root}/n`, 'v1', { version: 0 })).version).toBe(1);

    const error = await zk.set(`${root}/n`, 'stale', { version: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadVersionError);
    expect((error as BadVersionError).code).toBe(-103);
    expect((error as BadVersionError).path).toBe(`${root}/n`);
    expect((error as BadVersionError).message).toBe(`${root}/n is not at the expected version`);
    expect((await zk.get(`${root}/n`)).data.toString()).toBe('v1');

    expect((await zk.set(`${root}/n`, 'v2', { version: 1 })).version).toBe(2);
    expect((await zk.set(`${root}/n`, 'any', { version: -1 })).version).toBe(3);
  });

  it('set rejects with NoNodeError for a missing node', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'set-missing');
    await expect(zk.set(`${root}/missing`, 'x')).rejects.toBeInstanceOf(NoNodeError);
  });

  it('throws InvalidArgumentError at once for a version that is not a whole number from -1 to 2^31 - 1', async () => {
    const zk = await testClient();
    expect(() => zk.set('/x', 'v', { version: -2 })).toThrow(InvalidArgumentError);
    expect(() => zk.set('/x', 'v', { version: 1.5 })).toThrow(
      'set /x: version must be a whole number from -1 to 2147483647 (or omitted), got 1.5',
    );
  });
});
