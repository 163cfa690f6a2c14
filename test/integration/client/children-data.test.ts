import { describe, expect, it } from 'vitest';
import { childrenData, type ZNode } from '../../../src/index.js';
import { watchersOf } from '../../helpers/watches.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

const texts = (map: ReadonlyMap<string, ZNode> | undefined) =>
  Object.fromEntries([...(map ?? [])].map(([name, n]) => [name, n.data.toString()]));

describe('childrenData', () => {
  it('follows children and their data, and a deleted child leaves no watch on the server', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(writer, 'children-data');
    await writer.create(`${root}/a`, 'A');
    await writer.create(`${root}/b`, 'B');
    const seen = record(childrenData(zk, root));
    const alsoSeen = record(childrenData(zk, root)); // shared: same watches
    await eventually(() => JSON.stringify(texts(seen.values.at(-1))) === '{"a":"A","b":"B"}', 'both children');
    expect(await watchersOf(sharedConnectString(), `${root}/b`)).toEqual(new Set([zk.sessionId]));

    await writer.set(`${root}/a`, 'A2');
    await eventually(() => texts(seen.values.at(-1)).a === 'A2', 'the new data of a');
    await writer.delete(`${root}/b`);
    await eventually(() => JSON.stringify(texts(seen.values.at(-1))) === '{"a":"A2"}', 'b to leave');
    await zk.exists(root); // every read the deletion set off has been answered
    await zk.exists(root);
    expect(await watchersOf(sharedConnectString(), `${root}/b`)).toEqual(new Set());

    await writer.create(`${root}/b`, 'B2');
    await eventually(() => JSON.stringify(texts(seen.values.at(-1))) === '{"a":"A2","b":"B2"}', 'b to come back');
    expect(texts(alsoSeen.values.at(-1))).toEqual(texts(seen.values.at(-1)));
    expect(seen.errors).toEqual([]);
  });

  it('shows a child deleted and created again in one step', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(writer, 'children-data-recreate');
    await writer.create(`${root}/a`, 'A1');
    const seen = record(childrenData(zk, root));
    await eventually(() => texts(seen.values.at(-1)).a === 'A1', 'a');
    await writer.transaction().delete(`${root}/a`).create(`${root}/a`, 'A2').commit();
    await eventually(() => texts(seen.values.at(-1)).a === 'A2', 'the new a');
  });
});
