import { describe, expect, it } from 'vitest';
import { watchedPaths as watchesOf } from '../../helpers/server-stats.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

const watchedPaths = (sessionId: string) => watchesOf(sharedConnectString(), sessionId);

describe('deleted$', () => {
  it('emits once and completes at once for a node that does not exist', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'deleted-missing');
    const seen = record(zk.deleted$(`${root}/missing`));
    await eventually(() => seen.completed(), 'completion');
    expect(seen.values).toEqual([undefined]);
  });

  it('waits while the node exists and changes, emits once when it is deleted, then completes', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'deleted-later');
    const path = `${root}/node`;
    await zk.create(path, 'v1');
    const seen = record(zk.deleted$(path));
    await eventually(async () => (await watchedPaths(zk.sessionId!)).includes(path), 'the watch');

    await zk.set(path, 'v2');
    // The change re-arms the watch; only then is the deletion made, so it cannot be taken for it.
    await eventually(async () => (await watchedPaths(zk.sessionId!)).includes(path), 'the watch re-armed');
    expect(seen.values).toEqual([]);
    expect(seen.completed()).toBe(false);

    await zk.delete(path);
    await eventually(() => seen.completed(), 'completion');
    expect(seen.values).toEqual([undefined]);
    expect(seen.errors).toEqual([]);
  });

  it('leaves no watch behind on the server once the node is gone', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'deleted-watch');
    const path = `${root}/node`;
    await zk.create(path);
    const seen = record(zk.deleted$(path));
    await eventually(async () => (await watchedPaths(zk.sessionId!)).includes(path), 'the watch');
    await zk.delete(path);
    await eventually(() => seen.completed(), 'completion');
    expect(await watchedPaths(zk.sessionId!)).not.toContain(path);
  });

  it('counts a deletion even when the node is re-created before it could be read again', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'deleted-recreated');
    const path = `${root}/node`;
    await zk.create(path, 'v1');
    const seen = record(zk.deleted$(path));
    await eventually(async () => (await watchedPaths(zk.sessionId!)).includes(path), 'the watch');
    await zk.transaction().delete(path).create(path, 'v2').commit();
    await eventually(() => seen.completed(), 'completion');
    expect(seen.values).toEqual([undefined]);
    expect((await zk.get(path)).data.toString()).toBe('v2');
  });
});
