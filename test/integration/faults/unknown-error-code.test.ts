import { describe, expect, it } from 'vitest';
import { ServerError, type ConnectionState, type ZkClient } from '../../../src/index.js';
import { ownZooKeeper } from '../../helpers/own-zookeeper.js';
import { nextMatching, record, testClient } from '../../helpers/zk.js';

const QUOTA_EXCEEDED = -125;

const own = ownZooKeeper({ jvmOptions: ['-Dzookeeper.enforceQuota=true'] });

/**
 * Limits the number of nodes in the subtree at `path`. In ZooKeeper 3.8 `count=` is a soft
 * quota (the server only logs); `countHardLimit=` is enforced, with error -125.
 */
async function limitNodeCount(zk: ZkClient, path: string, count: number): Promise<void> {
  await zk.create(`/zookeeper/quota${path}/zookeeper_limits`, `countHardLimit=${count}`, { parents: true });
  await zk.create(`/zookeeper/quota${path}/zookeeper_stats`, 'count=0,bytes=0');
}

describe('an error code the wire client does not know (-125, quota exceeded)', () => {
  it('rejects the call with a ServerError carrying the code; the client stays connected and working', async () => {
    const zk = await testClient({ connectString: own.server.connectString, sessionTimeoutMs: 10_000 });
    await zk.create('/limited', 'root');
    await limitNodeCount(zk, '/limited', 2); // the node itself and one child
    const states = record(zk.state$);
    const data$ = zk.data$('/limited');
    const children$ = zk.children$('/limited');
    record(data$);
    record(children$);
    await zk.create('/limited/one');

    const error = await zk.create('/limited/two').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).code).toBe(QUOTA_EXCEEDED);
    expect((error as ServerError).path).toBe('/limited/two');
    expect((error as ServerError).message).toBe('create /limited/two: quota exceeded');

    const step = await zk
      .transaction()
      .set('/limited', 'changed in a failed transaction')
      .create('/limited/three')
      .commit()
      .catch((e: unknown) => e);
    expect(step).toBeInstanceOf(ServerError);
    expect((step as ServerError).code).toBe(QUOTA_EXCEEDED);
    expect((step as ServerError).message).toBe('transaction step 2 of 2: create /limited/three: quota exceeded');

    // Nothing was lost: the same session answers, and the streams keep delivering.
    await zk.set('/limited', 'after');
    await nextMatching(data$, (n) => n?.data.toString() === 'after', 'data$ after the errors');
    await zk.delete('/limited/one');
    await nextMatching(children$, (c) => c?.length === 0, 'children$ after the errors');
    expect(await zk.getChildren('/limited')).toEqual([]);
    expect(states.values).toEqual(['connected'] satisfies ConnectionState[]);
  });
});
