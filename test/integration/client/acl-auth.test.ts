import { describe, expect, it } from 'vitest';
import {
  BadVersionError,
  CREATOR_ALL_ACL,
  digestACL,
  InvalidACLError,
  InvalidArgumentError,
  NoAuthError,
  OPEN_ACL_UNSAFE,
  Perms,
  READ_ACL_UNSAFE,
} from '../../../src/index.js';
import { testClient, testRoot } from '../../helpers/zk.js';

describe('ACLs and authentication', () => {
  it('getACL gives the open ACL of a default node, with its stat', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'acl-default');
    const { acl, stat } = await zk.getACL(root);
    expect(acl).toEqual([{ perms: Perms.ALL, scheme: 'world', id: 'anyone' }]);
    expect(stat).toEqual(await zk.exists(root));
  });

  it('setACL replaces the ACL; with a version only at that ACL version', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'acl-set');
    const acl = [{ perms: Perms.READ | Perms.WRITE | Perms.DELETE | Perms.ADMIN, scheme: 'world', id: 'anyone' }];
    const stat = await zk.setACL(root, acl);
    expect(stat.aversion).toBe(1);
    expect((await zk.getACL(root)).acl).toEqual(acl);

    const error = await zk.setACL(root, OPEN_ACL_UNSAFE, { version: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadVersionError);
    expect((await zk.setACL(root, OPEN_ACL_UNSAFE, { version: 1 })).aversion).toBe(2);
    expect(() => zk.setACL(root, [])).toThrow(InvalidArgumentError);
  });

  it('a digest ACL admits the authenticated user and refuses everyone else with NoAuthError', async () => {
    const alice = await testClient({ auth: [{ scheme: 'digest', credentials: 'alice:secret' }] });
    const root = await testRoot(alice, 'acl-digest');
    const path = `${root}/private`;
    await alice.create(path, 'for alice', { acl: [digestACL('alice', 'secret', Perms.ALL)] });
    expect((await alice.get(path)).data.toString()).toBe('for alice');
    expect((await alice.getACL(path)).acl).toEqual([digestACL('alice', 'secret')]);

    const stranger = await testClient();
    const error = await stranger.get(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoAuthError);
    expect((error as NoAuthError).code).toBe(-102);
    expect((error as NoAuthError).path).toBe(path);
    expect((error as NoAuthError).message).toBe(`get ${path}: not authorized`);
    await expect(stranger.set(path, 'x')).rejects.toBeInstanceOf(NoAuthError);

    const impostor = await testClient({ auth: [{ scheme: 'digest', credentials: 'alice:wrong' }] });
    await expect(impostor.get(path)).rejects.toBeInstanceOf(NoAuthError);

    // addAuth on a live session admits it from then on.
    await stranger.addAuth('digest', 'alice:secret');
    expect((await stranger.get(path)).data.toString()).toBe('for alice');
  });

  it('a node readable by anyone is writable only by its owner', async () => {
    const owner = await testClient({ auth: [{ scheme: 'digest', credentials: 'bob:pw' }] });
    const root = await testRoot(owner, 'acl-read-only');
    const path = `${root}/shared`;
    await owner.create(path, 'v0', { acl: [...READ_ACL_UNSAFE, digestACL('bob', 'pw', Perms.ALL)] });
    const reader = await testClient();
    expect((await reader.get(path)).data.toString()).toBe('v0');
    await expect(reader.set(path, 'v1')).rejects.toBeInstanceOf(NoAuthError);
    await expect(reader.create(`${path}/child`)).rejects.toBeInstanceOf(NoAuthError);
    expect((await owner.set(path, 'v1')).version).toBe(1);
  });

  it('CREATOR_ALL_ACL gives the node to the identities of the creating session', async () => {
    const carol = await testClient();
    const root = await testRoot(carol, 'acl-creator');
    await carol.addAuth('digest', 'carol:pw');
    await carol.create(`${root}/mine`, 'x', { acl: CREATOR_ALL_ACL });
    expect((await carol.getACL(`${root}/mine`)).acl).toEqual([digestACL('carol', 'pw')]);
    const other = await testClient();
    await expect(other.get(`${root}/mine`)).rejects.toBeInstanceOf(NoAuthError);
  });

  it('rejects an ACL the server does not accept with InvalidACLError', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'acl-invalid');
    // The auth scheme with no authenticated identity: nobody to give the node to.
    await expect(zk.create(`${root}/n`, null, { acl: CREATOR_ALL_ACL })).rejects.toBeInstanceOf(InvalidACLError);
    const unknownScheme = [{ perms: Perms.ALL, scheme: 'no-such-scheme', id: 'x' }];
    await expect(zk.create(`${root}/n`, null, { acl: unknownScheme })).rejects.toBeInstanceOf(InvalidACLError);
    expect(await zk.exists(`${root}/n`)).toBeNull();
  });
});
