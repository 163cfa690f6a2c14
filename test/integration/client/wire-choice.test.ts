import { describe, expect, it } from 'vitest';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

// The rest of the suite runs on the default wire (node-zookeeper-client). This checks that the
// option reaches the session: the built-in wire makes a session, and the client's operations,
// streams and transactions work on it.
describe("connect(cs, { wire: 'builtin' })", () => {
  it('runs the client on the built-in wire: operations, streams and a transaction', async () => {
    const zk = await testClient({ wire: 'builtin' });
    expect(zk.sessionId).toMatch(/^[0-9a-f]+$/);
    const root = await testRoot(zk, 'wire-builtin');
    const data = record(zk.data$(`${root}/n`));
    const children = record(zk.children$(root));
    await eventually(() => data.values.length === 1 && children.values.length === 1, 'the first values');
    expect(data.values[0]).toBeNull();
    await zk.create(`${root}/n`, 'one');
    await eventually(() => data.values.at(-1)?.data.toString() === 'one', 'the created node');
    await eventually(() => children.values.at(-1)?.length === 1, 'the child');
    const results = await zk.transaction().set(`${root}/n`, 'two').create(`${root}/m`).commit();
    expect(results.map((r) => r.type)).toEqual(['set', 'create']);
    await eventually(() => data.values.at(-1)?.data.toString() === 'two', 'the change');
    expect(await zk.getChildren(root)).toEqual(['m', 'n']);
    expect(data.errors).toEqual([]);
  });
});
