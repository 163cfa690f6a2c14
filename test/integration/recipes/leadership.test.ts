import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { election$, leadership, type Leadership, type ZkClient } from '../../../src/index.js';
import { spawnScript } from '../../helpers/cli.js';
import { LeaderTracker } from '../../helpers/leader-tracker.js';
import { watchedPaths } from '../../helpers/server-stats.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

function stand(zk: ZkClient, path: string, id: string, tracker: LeaderTracker) {
  const views: Leadership[] = [];
  const subscription = leadership(zk, path, { id }).subscribe({
    next: (l) => {
      views.push(l);
      tracker.update(id, l.isLeader);
    },
  });
  onTestFinished(() => subscription.unsubscribe());
  return {
    views,
    last: () => views.at(-1),
    withdraw: () => {
      tracker.update(id, false);
      subscription.unsubscribe();
    },
  };
}

const sortedNodes = async (zk: ZkClient, path: string) =>
  (await zk.getChildren(path)).sort((a, b) => Number(a.slice(-10)) - Number(b.slice(-10)));

describe('leadership', () => {
  it('elects exactly one of three candidates, in arrival order, and hands over when the leader withdraws', async () => {
    const clients = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(clients[0]!, 'election')}/e`;
    const tracker = new LeaderTracker();
    const candidates: ReturnType<typeof stand>[] = [];
    for (const [i, zk] of clients.entries()) {
      candidates.push(stand(zk, path, `c${i}`, tracker));
      // Let each join before the next, so the queue order is known.
      await eventually(async () => (await zk.exists(path)) !== null && (await zk.getChildren(path)).length === i + 1, `c${i} to join`);
    }
    await eventually(() => tracker.current.length === 1, 'a leader');
    expect(tracker.current).toEqual(['c0']);
    await eventually(() => candidates.every((c) => c.last()?.leaderId === 'c0'), 'every candidate to see c0 lead');
    expect(candidates[2]!.last()).toEqual({ isLeader: false, leaderId: 'c0', candidates: ['c0', 'c1', 'c2'] });

    candidates[0]!.withdraw();
    await eventually(() => tracker.current[0] === 'c1', 'c1 to lead');
    candidates[1]!.withdraw();
    await eventually(() => tracker.current[0] === 'c2', 'c2 to lead');
    expect(await clients[0]!.getChildren(path)).toHaveLength(1);
    expect(tracker.violations).toEqual([]);
    expect(tracker.timeline).toEqual(['+c0', '-c0', '+c1', '-c1', '+c2']);
  });

  it("keeps every follower's leaderId current when the leader leaves, watching at most the leader and the one ahead", async () => {
    const clients = await Promise.all([testClient(), testClient(), testClient(), testClient()]);
    const path = `${await testRoot(clients[0]!, 'election')}/e`;
    const tracker = new LeaderTracker();
    const candidates: ReturnType<typeof stand>[] = [];
    for (const [i, zk] of clients.entries()) {
      candidates.push(stand(zk, path, `c${i}`, tracker));
      await eventually(async () => (await zk.exists(path)) !== null && (await zk.getChildren(path)).length === i + 1, `c${i} to join`);
    }
    await eventually(() => candidates.every((c) => c.last()?.leaderId === 'c0'), 'every candidate to see c0 lead');
    const nodes = await sortedNodes(clients[0]!, path);
    // Each waits on the one ahead and on the leader: two nodes of others at most, never the rest.
    const othersWatchedBy = async (i: number) => {
      const watched = await watchedPaths(sharedConnectString(), clients[i]!.sessionId!);
      return watched
        .filter((p) => p.startsWith(`${path}/`) && p !== `${path}/${nodes[i]}`)
        .map((p) => p.slice(path.length + 1))
        .sort();
    };
    const expectedFor = (i: number) => (i === 0 ? [] : [...new Set([nodes[0]!, nodes[i - 1]!])].sort());
    await eventually(async () => {
      for (let i = 0; i < clients.length; i++) {
        if ((await othersWatchedBy(i)).join() !== expectedFor(i).join()) return false;
      }
      return true;
    }, 'each candidate to watch the leader and the one ahead, and nothing else');

    candidates[0]!.withdraw();
    // The last candidate waits on c2, which did not change: it hears of the new leader from the head.
    await eventually(() => candidates.slice(1).every((c) => c.last()?.leaderId === 'c1'), 'every follower to see c1 lead');
    expect(candidates[3]!.last()).toEqual({ isLeader: false, leaderId: 'c1', candidates: ['c1', 'c2', 'c3'] });
    candidates[1]!.withdraw();
    await eventually(() => candidates.slice(2).every((c) => c.last()?.leaderId === 'c2'), 'every follower to see c2 lead');
    expect(tracker.violations).toEqual([]);
  });

  it('hands over when the leader session closes, and the closed candidate leaves the queue', async () => {
    const [a, b] = await Promise.all([testClient(), testClient()]);
    const path = `${await testRoot(a, 'election')}/e`;
    const tracker = new LeaderTracker();
    const first = stand(a, path, 'a', tracker);
    await eventually(() => first.last()?.isLeader === true, 'a to lead');
    const second = stand(b, path, 'b', tracker);
    await eventually(() => second.last()?.candidates.length === 2, 'b to join');
    tracker.update('a', false);
    await a.close();
    await eventually(() => second.last()?.isLeader === true, 'b to lead');
    expect(second.last()).toEqual({ isLeader: true, leaderId: 'b', candidates: ['b'] });
    expect(tracker.violations).toEqual([]);
  });

  it("deleting the leader's node hands leadership to the next candidate; the old leader stands again at the back", async () => {
    const clients = await Promise.all([testClient(), testClient(), testClient()]);
    const path = `${await testRoot(clients[0]!, 'election')}/e`;
    const tracker = new LeaderTracker();
    const candidates: ReturnType<typeof stand>[] = [];
    for (const [i, zk] of clients.entries()) {
      candidates.push(stand(zk, path, `n${i}`, tracker));
      await eventually(async () => (await zk.exists(path)) !== null && (await zk.getChildren(path)).length === i + 1, `n${i} to join`);
    }
    await eventually(() => tracker.current[0] === 'n0', 'n0 to lead');

    const [leaderNode] = await sortedNodes(clients[1]!, path);
    await clients[1]!.delete(`${path}/${leaderNode}`);

    await eventually(() => tracker.current[0] === 'n1', 'n1 to lead');
    await eventually(async () => (await clients[0]!.getChildren(path)).length === 3, 'n0 to stand again');
    // n0's own check after standing again sees it at the back. (n1, leading, does not re-check on
    // joins: candidates watch only the node ahead of them.)
    await eventually(() => candidates[0]!.last()?.candidates.join() === 'n1,n2,n0', 'n0 at the back');
    expect(candidates[0]!.last()?.isLeader).toBe(false);
    expect(tracker.violations).toEqual([]);
    expect(tracker.timeline).toEqual(['+n0', '-n0', '+n1']);
  });

  it('a leader process killed outright is replaced once its session expires, and leaves the registry', async () => {
    const observer = await testClient();
    const root = await testRoot(observer, 'crash');
    const script = fileURLToPath(new URL('../../helpers/candidate-process.ts', import.meta.url));
    const child = spawnScript(script, [observer.connectString, root, 'proc'], { timeoutMs: 120_000 });
    await child.waitForLine((line) => line.includes('"isLeader":true'), 'the process to lead');
    await child.waitForLine((line) => line.includes('"registered"'), 'the process to register');

    const tracker = new LeaderTracker();
    const local = stand(observer, `${root}/election`, 'local', tracker);
    await eventually(() => local.last()?.leaderId === 'proc', 'the local candidate to see proc lead');
    const view = record(election$(observer, `${root}/election`));

    child.kill();
    await eventually(() => local.last()?.isLeader === true, 'the local candidate to lead', 30_000);
    expect(await observer.getChildren(`${root}/services`)).toEqual([]);
    expect(view.values.at(-1)).toEqual({ leaderId: 'local', candidates: ['local'] });
    expect(view.values.map((v) => v.leaderId)).toContain('proc');
  });

  it('throws at once for a bad path or id', async () => {
    const zk = await testClient();
    expect(() => leadership(zk, 'relative', { id: 'x' })).toThrow(/invalid path "relative"/);
    expect(() => leadership(zk, '/e', { id: '' })).toThrow(/id must be a non-empty string/);
  });
});
