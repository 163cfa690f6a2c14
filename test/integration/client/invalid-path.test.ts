import { describe, expect, it } from 'vitest';
import { InvalidPathError, OPEN_ACL_UNSAFE, type ZkClient } from '../../../src/index.js';
import { testClient } from '../../helpers/zk.js';

const calls: [string, (zk: ZkClient, path: string) => unknown][] = [
  ['create', (zk, p) => zk.create(p)],
  ['get', (zk, p) => zk.get(p)],
  ['set', (zk, p) => zk.set(p, 'x')],
  ['delete', (zk, p) => zk.delete(p)],
  ['getChildren', (zk, p) => zk.getChildren(p)],
  ['exists', (zk, p) => zk.exists(p)],
  ['getACL', (zk, p) => zk.getACL(p)],
  ['setACL', (zk, p) => zk.setACL(p, OPEN_ACL_UNSAFE)],
  ['data$', (zk, p) => zk.data$(p)],
  ['children$', (zk, p) => zk.children$(p)],
  ['exists$', (zk, p) => zk.exists$(p)],
  ['tree$', (zk, p) => zk.tree$(p)],
  ['deleted$', (zk, p) => zk.deleted$(p)],
  ['transaction.create', (zk, p) => zk.transaction().create(p)],
  ['transaction.set', (zk, p) => zk.transaction().set(p, 'x')],
  ['transaction.delete', (zk, p) => zk.transaction().delete(p)],
  ['transaction.check', (zk, p) => zk.transaction().check(p, 0)],
];

describe('a bad path', () => {
  it.each(calls)('makes %s throw InvalidPathError at the call, naming the call, the path and the index', async (name, call) => {
    const zk = await testClient();
    let thrown: unknown;
    let returned: unknown;
    try {
      returned = call(zk, '/ok/bad//path');
    } catch (err) {
      thrown = err;
    }
    expect(returned).toBeUndefined(); // not a rejected promise or an erroring stream: a throw
    expect(thrown).toBeInstanceOf(InvalidPathError);
    expect((thrown as InvalidPathError).message).toBe(`${name}: invalid path "/ok/bad//path": empty node name at index 8`);
    expect((thrown as InvalidPathError).path).toBe('/ok/bad//path');
  });

  it('costs nothing: the client stays connected and works', async () => {
    const zk = await testClient();
    for (const [, call] of calls) expect(() => call(zk, 'relative')).toThrow(InvalidPathError);
    expect(zk.state).toBe('connected');
    expect(await zk.exists('/')).not.toBeNull();
  });
});
