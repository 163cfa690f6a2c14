import { describe, expect, it } from 'vitest';
import { BadVersionError, NoNodeError, OPEN_ACL_UNSAFE } from '../../../src/index.js';
import { testClient, testRoot } from '../../helpers/zk.js';

/** The rejection of `promise`, which must reject. */
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

describe('BadVersionError says the version expected, and the one found', () => {
  it('set, delete and setACL with a stale version', async () => {
    const zk = await testClient();
    const path = `${await testRoot(zk, 'version-conflicts')}/n`;
    await zk.create(path, 'v0');
    await zk.set(path, 'v1');
    await zk.set(path, 'v2');

    const set = await rejection(zk.set(path, 'late', { version: 0 }));
    expect(set).toBeInstanceOf(BadVersionError);
    expect(set).toMatchObject({ code: -103, path, expectedVersion: 0, actualVersion: 2 });
    expect((set as Error).message).toBe(`${path} is at version 2, not at the expected version 0`);

    const del = await rejection(zk.delete(path, { version: 5 }));
    expect((del as Error).message).toBe(`${path} is at version 2, not at the expected version 5`);
    expect(await zk.exists(path)).not.toBeNull();

    const acl = await rejection(zk.setACL(path, OPEN_ACL_UNSAFE, { version: 3 }));
    expect(acl).toMatchObject({ expectedVersion: 3, actualVersion: 0 });
    expect((acl as Error).message).toBe(`${path}'s ACL is at version 0, not at the expected version 3`);
  });

  it('a transaction step names the version it expected', async () => {
    const zk = await testClient();
    const path = `${await testRoot(zk, 'version-conflicts')}/n`;
    await zk.create(path, 'v0');
    const error = await rejection(zk.transaction().check(path, 4).set(path, 'x').commit());
    expect(error).toBeInstanceOf(BadVersionError);
    expect(error).toMatchObject({ expectedVersion: 4, actualVersion: undefined });
    expect((error as Error).message).toBe(`transaction step 1 of 2: ${path} is not at the expected version 4`);
  });
});

describe('a create under a missing parent', () => {
  it('names the parent and the way out', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'missing-parent');
    const error = await rejection(zk.create(`${root}/missing-parent/child`, 'x'));
    expect(error).toBeInstanceOf(NoNodeError);
    expect(error).toMatchObject({ code: -101, path: `${root}/missing-parent/child` });
    expect((error as Error).message).toBe(
      `cannot create ${root}/missing-parent/child: its parent ${root}/missing-parent does not exist (create it first, or pass { parents: true })`,
    );
  });

  it('in a transaction, too', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'missing-parent');
    const error = await rejection(zk.transaction().create(`${root}/a`).create(`${root}/b/c`).commit());
    expect((error as Error).message).toBe(
      `transaction step 2 of 2: cannot create ${root}/b/c: its parent ${root}/b does not exist (create it first, or pass { parents: true })`,
    );
  });
});
