import { describe, expect, it } from 'vitest';
import {
  BadVersionError,
  InvalidArgumentError,
  NodeExistsError,
  NoNodeError,
  type Transaction,
} from '../../../src/index.js';
import { testClient, testRoot } from '../../helpers/zk.js';

describe('transaction', () => {
  it('applies every step and resolves with one result per step, in order', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tx-results');
    await zk.create(`${root}/config`, 'v0');
    await zk.create(`${root}/old`);
    const results = await zk
      .transaction()
      .check(`${root}/config`, 0)
      .set(`${root}/config`, 'v1')
      .create(`${root}/history`, 'h')
      .create(`${root}/history/entry-`, 'e', { mode: 'persistent-sequential' })
      .delete(`${root}/old`)
      .commit();

    expect(results.map((r) => r.type)).toEqual(['check', 'set', 'create', 'create', 'delete']);
    const config = await zk.get(`${root}/config`);
    expect(config.data.toString()).toBe('v1');
    expect(results[1]).toEqual({ type: 'set', stat: config.stat });
    expect(results[2]).toEqual({ type: 'create', path: `${root}/history` });
    const entry = results[3] as { type: 'create'; path: string };
    expect(entry.path).toMatch(new RegExp(`^${root}/history/entry-\\d{10}$`));
    expect((await zk.get(entry.path)).data.toString()).toBe('e');
    expect(await zk.exists(`${root}/old`)).toBeNull();
  });

  it('rejects with the typed error of the failing step, naming it, and applies nothing', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tx-failing');
    await zk.create(`${root}/config`, 'v0');
    await zk.set(`${root}/config`, 'v1');

    const error = await zk
      .transaction()
      .create(`${root}/a`, 'a')
      .set(`${root}/config`, 'v2', { version: 0 })
      .create(`${root}/b`, 'b')
      .commit()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadVersionError);
    expect((error as BadVersionError).path).toBe(`${root}/config`);
    expect((error as BadVersionError).code).toBe(-103);
    expect((error as BadVersionError).message).toBe(
      `transaction step 2 of 3: ${root}/config is not at the expected version 0`,
    );
    expect(await zk.exists(`${root}/a`)).toBeNull();
    expect(await zk.exists(`${root}/b`)).toBeNull();
    expect((await zk.get(`${root}/config`)).data.toString()).toBe('v1');
  });

  it.each([
    {
      failure: 'a create of an existing node',
      ErrorClass: NodeExistsError,
      expected: 'transaction step 3 of 3: ',
      build: (tx: Transaction, root: string) => tx.create(`${root}/x`).set(`${root}/exists`, 'y').create(`${root}/exists`),
    },
    {
      failure: 'a delete of a missing node',
      ErrorClass: NoNodeError,
      expected: 'transaction step 1 of 2: ',
      build: (tx: Transaction, root: string) => tx.delete(`${root}/missing`).create(`${root}/x`),
    },
  ])('names the failing step for $failure', async ({ ErrorClass, expected, build }) => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tx-steps');
    await zk.create(`${root}/exists`);
    const error = await build(zk.transaction(), root)
      .commit()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as Error).message.startsWith(expected)).toBe(true);
    expect(await zk.exists(`${root}/x`)).toBeNull();
  });

  it('checks version 0 as version 0, not as any version', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tx-version-zero');
    await zk.create(`${root}/n`, 'v0');
    await zk.set(`${root}/n`, 'v1');
    await expect(zk.transaction().check(`${root}/n`, 0).commit()).rejects.toBeInstanceOf(BadVersionError);
    await expect(zk.transaction().set(`${root}/n`, 'x', { version: 0 }).commit()).rejects.toBeInstanceOf(BadVersionError);
    await expect(zk.transaction().delete(`${root}/n`, { version: 0 }).commit()).rejects.toBeInstanceOf(BadVersionError);
    expect((await zk.get(`${root}/n`)).data.toString()).toBe('v1');
    await zk.transaction().check(`${root}/n`, 1).delete(`${root}/n`, { version: 1 }).commit();
    expect(await zk.exists(`${root}/n`)).toBeNull();
  });

  it('throws InvalidArgumentError at once when empty, committed twice, or extended after commit', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tx-misuse');
    expect(() => zk.transaction().commit()).toThrow('transaction.commit: the transaction has no steps');
    const tx = zk.transaction().create(`${root}/once`);
    await tx.commit();
    expect(() => tx.commit()).toThrow(InvalidArgumentError);
    expect(() => tx.create(`${root}/more`)).toThrow('transaction.create: this transaction was already committed');
    expect(() => zk.transaction().check(`${root}/once`, -2)).toThrow(InvalidArgumentError);
  });
});
