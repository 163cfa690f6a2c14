import { describe, expect, it } from 'vitest';
import { NodeExistsError, NoNodeError, type ZkClient } from '../../../src/index.js';
import { nextMatching, record, testClient, testRoot } from '../../helpers/zk.js';

/** A client in a fresh namespace, and a plain client to look at the server with. */
async function namespaced(name: string): Promise<{ zk: ZkClient; plain: ZkClient; chroot: string }> {
  const plain = await testClient();
  const base = await testRoot(plain, name);
  const chroot = `${base}/apps/billing`;
  const zk = await testClient({ chroot });
  // The namespace is created on the client's own session, ahead of its own requests; one round
  // trip makes sure it is there for other clients too.
  await zk.exists('/');
  return { zk, plain, chroot };
}

describe('chroot (namespace)', () => {
  it('creates the namespace node, with its parents, when the session starts', async () => {
    const plain = await testClient();
    const base = await testRoot(plain, 'chroot-created');
    const chroot = `${base}/apps/billing`;
    const zk = await testClient({ chroot });
    expect(await zk.exists('/')).toEqual(await plain.exists(chroot));
    expect(await plain.exists(`${base}/apps`)).not.toBeNull();
  });

  it('with createChroot: false, creates nothing: reads under a missing namespace find nothing', async () => {
    const plain = await testClient();
    const base = await testRoot(plain, 'chroot-not-created');
    const chroot = `${base}/typo`;
    const zk = await testClient({ chroot, createChroot: false });
    expect(await zk.exists('/')).toBeNull();
    await expect(zk.get('/x')).rejects.toBeInstanceOf(NoNodeError);
    expect(await zk.getChildren('/').catch((e: unknown) => e)).toBeInstanceOf(NoNodeError);
    // A fresh session creates nothing either (the namespace is made per session when it is).
    await zk.exists('/');
    expect(await plain.exists(chroot)).toBeNull();
    expect(await plain.getChildren(base)).toEqual([]);
    // An existing namespace works as usual.
    await plain.create(chroot, 'here');
    expect((await zk.get('/')).data.toString()).toBe('here');
  });

  it('takes every path of one-shot operations relative to the namespace', async () => {
    const { zk, plain, chroot } = await namespaced('chroot-operations');
    expect(await zk.create('/a', 'x')).toBe('/a');
    expect((await plain.get(`${chroot}/a`)).data.toString()).toBe('x');
    const node = await zk.get('/a');
    expect(node.path).toBe('/a');
    expect((await zk.set('/a', 'y')).version).toBe(1);
    expect(await zk.getChildren('/')).toEqual(['a']);

    const sequential = await zk.create('/seq-', null, { mode: 'ephemeral-sequential' });
    expect(sequential).toMatch(/^\/seq-\d{10}$/);
    expect(await plain.exists(`${chroot}${sequential}`)).not.toBeNull();

    expect(await zk.create('/deep/er/node', 'd', { parents: true })).toBe('/deep/er/node');
    expect((await plain.get(`${chroot}/deep/er/node`)).data.toString()).toBe('d');
    await zk.delete('/deep', { recursive: true });
    expect(await plain.exists(`${chroot}/deep`)).toBeNull();

    const results = await zk.transaction().create('/t', 't').set('/a', 'z').commit();
    expect(results[0]).toEqual({ type: 'create', path: '/t' });
    expect((await plain.get(`${chroot}/t`)).data.toString()).toBe('t');
    expect((await zk.getACL('/t')).acl).toEqual((await plain.getACL(`${chroot}/t`)).acl);
  });

  it('names the caller\'s paths in errors', async () => {
    const { zk } = await namespaced('chroot-errors');
    const missing = await zk.get('/missing').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NoNodeError);
    expect((missing as NoNodeError).path).toBe('/missing');
    expect((missing as NoNodeError).message).toBe('/missing does not exist');

    await zk.create('/dup');
    const duplicate = await zk.create('/dup').catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(NodeExistsError);
    expect((duplicate as NodeExistsError).path).toBe('/dup');
    await expect(zk.create('/no/parent')).rejects.toBeInstanceOf(NoNodeError);
    // The client is unharmed.
    expect(zk.state).toBe('connected');
    expect(await zk.exists('/dup')).not.toBeNull();
  });

  it('takes the paths of streams relative to the namespace and emits the caller\'s paths', async () => {
    const { zk, plain, chroot } = await namespaced('chroot-streams');
    const data$ = zk.data$('/n');
    const children$ = zk.children$('/');
    const tree$ = zk.tree$('/');
    record(data$);
    record(children$);
    record(tree$);
    await plain.create(`${chroot}/n`, 'from outside');
    await plain.create(`${chroot}/n/child`, 'c');
    const node = await nextMatching(data$, (n) => n !== null, 'the node');
    expect(node!.path).toBe('/n');
    expect(node!.data.toString()).toBe('from outside');
    await nextMatching(children$, (c) => c?.includes('n') === true, 'the child list');
    const tree = await nextMatching(tree$, (t) => t.size === 3, 'the tree');
    expect([...tree.keys()].sort()).toEqual(['/', '/n', '/n/child']);
    expect(tree.get('/n/child')!.path).toBe('/n/child');
  });
});
