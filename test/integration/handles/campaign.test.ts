import { firstValueFrom, filter } from 'rxjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AbortError, campaign, ClientClosedError, election$, InvalidArgumentError, LeadershipLostError, leadership, type ZkClient } from '../../../src/index.js';
import { queueOrder } from '../../../src/advanced.js';
import { faultProxy } from '../../../src/testing/index.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

const candidates = (zk: ZkClient, path: string, count: number) =>
  eventually(async () => (await zk.exists(path)) !== null && (await zk.getChildren(path)).length === count, `${count} candidates`);

describe('campaign', () => {
  it('resolves once leading; the next candidate leads only after resign(), and nothing is left', async () => {
    const [a, b, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'campaign')}/election`;
    const first = await campaign(a, path, { id: 'a' });
    expect(first.id).toBe('a');
    let secondLeads = false;
    const second = campaign(b, path, { id: 'b' }).then((term) => ((secondLeads = true), term));
    await candidates(observer, path, 2);
    expect(secondLeads).toBe(false);
    expect(await firstValueFrom(election$(observer, path))).toEqual({ leaderId: 'a', candidates: ['a', 'b'] });

    await first.resign();
    expect(first.ended).toBe(true);
    const next = await second;
    expect(next.signal.aborted).toBe(false);
    expect(await firstValueFrom(election$(observer, path))).toEqual({ leaderId: 'b', candidates: ['b'] });
    await next.resign();
    expect(await observer.getChildren(path)).toEqual([]);
  });

  it('holds leadership where firstValueFrom(leadership(...)) would resign at once', async () => {
    const [zk, observer] = await Promise.all([testClient(), testClient()]);
    const path = `${await testRoot(observer, 'campaign')}/election`;
    // The trap: the first leading view unsubscribes, which withdraws the candidate.
    await firstValueFrom(leadership(zk, path, { id: 'trap' }).pipe(filter((l) => l.isLeader)));
    await eventually(async () => (await observer.getChildren(path)).length === 0, 'the trap candidate withdrawn');
    const term = await campaign(zk, path, { id: 'held' });
    expect(await firstValueFrom(election$(observer, path))).toEqual({ leaderId: 'held', candidates: ['held'] });
    await term.resign();
  });

  it('an aborted campaign withdraws first, then rejects with AbortError', async () => {
    const [a, b, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'campaign')}/election`;
    const leader = await campaign(a, path, { id: 'a' });
    const controller = new AbortController();
    const waiting = campaign(b, path, { id: 'b', signal: controller.signal }).catch((error: unknown) => error);
    await candidates(observer, path, 2);
    controller.abort();
    const error = await waiting;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toBe(`campaign ${path}: aborted while waiting to lead; withdrew`);
    expect(await observer.getChildren(path)).toHaveLength(1);
    await leader.resign();
    expect(await observer.getChildren(path)).toEqual([]);
  });

  it('a leader whose node is deleted loses the term (LeadershipLostError) and does not stand again', async () => {
    const [zk, b, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'campaign')}/election`;
    const term = await campaign(zk, path, { id: 'a' });
    const follower = record(leadership(b, path, { id: 'b' }));
    await candidates(observer, path, 2);
    const leaderNode = queueOrder(await observer.getChildren(path))[0]!.name;
    const aborted = new Promise<unknown>((resolve) => term.signal.addEventListener('abort', () => resolve(term.signal.reason)));
    await observer.delete(`${path}/${leaderNode}`);
    expect(await aborted).toBeInstanceOf(LeadershipLostError);
    await eventually(() => follower.values.some((l) => l.isLeader), 'the follower to lead');
    await term.resign();
    expect(term.ended).toBe(true);
    expect(await firstValueFrom(election$(observer, path))).toEqual({ leaderId: 'b', candidates: ['b'] });
  });

  it('a leader whose connection is suspended loses the term at once; the next candidate leads once it is gone', async () => {
    const proxy = await faultProxy(sharedConnectString());
    onTestFinished(() => proxy.close());
    const [zk, b, observer] = await Promise.all([testClient({ connectString: proxy.connectString }), testClient(), testClient()]);
    const path = `${await testRoot(observer, 'campaign')}/election`;
    const term = await campaign(zk, path, { id: 'a' });
    const next = campaign(b, path, { id: 'b' });
    await candidates(observer, path, 2);
    const aborted = new Promise<unknown>((resolve) => term.signal.addEventListener('abort', () => resolve(term.signal.reason)));
    await proxy.refuse();
    expect(await aborted).toBeInstanceOf(LeadershipLostError);
    await proxy.restore();
    await term.resign();
    const nextTerm = await next;
    expect(await firstValueFrom(election$(observer, path))).toEqual({ leaderId: 'b', candidates: ['b'] });
    await nextTerm.resign();
  });

  it('a term of a closed client ends, its cause says so', async () => {
    const [zk, observer] = await Promise.all([testClient(), testClient()]);
    const path = `${await testRoot(observer, 'campaign')}/election`;
    const term = await campaign(zk, path, { id: 'a' });
    await zk.close();
    expect(term.signal.reason).toBeInstanceOf(LeadershipLostError);
    expect((term.signal.reason as LeadershipLostError).cause).toBeInstanceOf(ClientClosedError);
    await term.resign();
    await eventually(async () => (await observer.getChildren(path)).length === 0, 'the closed session gone');
  });

  it('refuses bad input at the call', async () => {
    const zk = await testClient();
    expect(() => campaign(zk, '/election/x', { id: '' })).toThrow(
      new InvalidArgumentError('campaign: id must be a non-empty string, got ""'),
    );
    expect(() => campaign(zk, '/election/x', { id: 'a', signal: {} as never })).toThrow(InvalidArgumentError);
  });
});
