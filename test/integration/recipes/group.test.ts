import { describe, expect, it } from 'vitest';
import { group, members$, type DataDecodeError, type GroupMember } from '../../../src/index.js';
import { eventually, nextMatching, record, testClient, testRoot } from '../../helpers/zk.js';

const ids = (members: readonly GroupMember[] | undefined) => (members ?? []).map((m) => m.id);
const dataOf = (members: readonly GroupMember[] | undefined, id: string) => members?.find((m) => m.id === id)?.data;

describe('group', () => {
  it('lists every member with its data; leaving and crashing drop out', async () => {
    const observer = await testClient();
    const root = await testRoot(observer, 'group-members');
    const path = `${root}/workers`;
    const [a, b, c] = await Promise.all([testClient(), testClient(), testClient()]);
    const seenByA = record(group(a, path, { id: 'w-a', data: { slots: 1 } }));
    const seenByB = record(group(b, path, { id: 'w-b', data: { slots: 2 } }));
    const seenByC = record(group(c, path, { id: 'w-c' }));
    for (const seen of [seenByA, seenByB, seenByC]) {
      await eventually(() => ids(seen.values.at(-1)).length === 3, 'every member to see all three');
    }
    expect(seenByC.values.at(-1)).toMatchObject([
      { id: 'w-a', data: { slots: 1 }, path: `${path}/w-a` },
      { id: 'w-b', data: { slots: 2 }, path: `${path}/w-b` },
      { id: 'w-c', data: null, path: `${path}/w-c` },
    ]);

    seenByB.subscription.unsubscribe(); // leaves
    await eventually(() => ids(seenByA.values.at(-1)).join() === 'w-a,w-c', 'w-b to leave');
    await c.close(); // crashes: its session ends
    await eventually(() => ids(seenByA.values.at(-1)).join() === 'w-a', 'w-c to drop out');
    expect(await observer.getChildren(path)).toEqual(['w-a']);
    expect(seenByA.errors).toEqual([]);
  });

  it('waits out a stale node of an earlier incarnation, or replaces it', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'group-stale');
    const path = `${root}/workers`;
    const earlier = await testClient();
    await earlier.create(`${path}/w1`, '{"incarnation":1}', { mode: 'ephemeral', parents: true });

    const later = await testClient();
    const seen = record(group(later, path, { id: 'w1', data: { incarnation: 2 } }));
    const other = await testClient();
    const joined = record(group(other, path, { id: 'w2' }));
    await eventually(() => ids(joined.values.at(-1)).join() === 'w1,w2', 'the other member to join');
    // w1 is still the earlier incarnation's node: never shared, never taken over.
    expect((await later.exists(`${path}/w1`))?.ephemeralOwner).toBe(earlier.sessionId);
    expect(dataOf(seen.values.at(-1), 'w1')).toEqual({ incarnation: 1 });

    await earlier.close();
    await nextMatching(
      group(zk, path, { id: 'observer' }),
      (members) => JSON.stringify(dataOf(members, 'w1')) === '{"incarnation":2}',
      'the later incarnation to join',
    );
    expect((await later.exists(`${path}/w1`))?.ephemeralOwner).toBe(later.sessionId);

    const third = await testClient();
    const replacing = record(group(third, path, { id: 'w1', data: { incarnation: 3 }, onStale: 'replace' }));
    await eventually(async () => (await zk.exists(`${path}/w1`))?.ephemeralOwner === third.sessionId, 'the node to be replaced');
    expect(replacing.errors).toEqual([]);
  });

  it('reports and skips a malformed member; members$ observes without joining', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'group-invalid');
    const path = `${root}/workers`;
    await zk.create(`${path}/broken`, '{not json', { parents: true });
    const reported: DataDecodeError[] = [];
    const view = record(members$(zk, path, { onInvalid: (e) => reported.push(e) }));
    const member = await testClient();
    record(group(member, path, { id: 'ok', data: [1, 2], onInvalid: () => undefined }));
    await eventually(() => ids(view.values.at(-1)).join() === 'ok', 'the valid member');
    expect(view.values.at(-1)?.[0]?.data).toEqual([1, 2]);
    expect(reported.map((e) => e.path)).toEqual([`${path}/broken`]);
    expect(await zk.getChildren(path)).toEqual(['broken', 'ok']);
  });

  it('refuses bad arguments at the call site', async () => {
    const zk = await testClient();
    expect(() => group(zk, '/g', { id: 'a/b' })).toThrow('group /g: id must be a non-empty string without "/", got "a/b"');
    expect(() => group(zk, '/g', { id: '' })).toThrow(/id must be a non-empty string/);
    expect(() => group(zk, '/g', { id: 'x', data: 10n })).toThrow('group /g: data must be JSON-serializable');
    expect(() => group(zk, '/g', { id: 'x', data: 'y'.repeat(1_100_000) })).toThrow(/DataTooLarge|larger|limit/i);
    expect(() => group(zk, 'g', { id: 'x' })).toThrow(/invalid path "g"/);
  });
});
