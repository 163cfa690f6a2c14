import { describe, expect, it } from 'vitest';
import { fourLetter, type ConnectionState } from '../../../src/index.js';
import { ownZooKeeper } from '../../helpers/own-zookeeper.js';
import { eventually, nextMatching, record, testClient } from '../../helpers/zk.js';

const SESSION_TIMEOUT_MS = 20_000;

const own = ownZooKeeper({ servers: 3 });

/** The index of the member holding the session's connection, or -1. */
async function memberServing(sessionId: string): Promise<number> {
  const ensemble = own.server;
  for (let i = 0; i < ensemble.size; i++) {
    const cons = await fourLetter(ensemble.address(i), 'cons', { timeoutMs: 1_000 }).catch(() => '');
    if (cons.includes(`sid=0x${sessionId},`)) return i;
  }
  return -1;
}

describe('a 3-member ensemble losing members one at a time', () => {
  it('keeps the session through each failover (suspended, reconnected); streams deliver what changed', async () => {
    const ensemble = own.server;
    const writer = await testClient({ connectString: ensemble.connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS });
    await writer.create('/failover', 'v0');

    const zk = await testClient({ connectString: ensemble.connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS });
    const session = zk.sessionId!;
    await zk.create('/failover/mine', null, { mode: 'ephemeral' });
    const states = record(zk.state$);
    const data$ = zk.data$('/failover');
    const children$ = zk.children$('/failover');
    const tree$ = zk.tree$('/failover');
    const streams = [record(data$), record(children$), record(tree$)];
    await eventually(() => streams.every((s) => s.values.length > 0), 'the streams');

    const failOver = async (member: number, round: number) => {
      const reconnects = states.values.filter((s) => s === 'reconnected').length;
      const suspensions = states.values.filter((s) => s === 'suspended').length;
      await ensemble.kill(member);
      // From the record: the client may be suspended (and even back) before kill() resolves.
      await eventually(
        () => states.values.filter((s) => s === 'suspended').length > suspensions,
        `suspended after killing member ${member}`,
        30_000,
      );
      // Made while the client is away (the writer's requests wait for a quorum if need be).
      await writer.set('/failover', `v${round}`);
      await writer.create(`/failover/child-${round}`);
      await eventually(
        () => states.values.filter((s) => s === 'reconnected').length > reconnects,
        `reconnected after killing member ${member}`,
        30_000,
      );
      expect(zk.sessionId).toBe(session);
      await nextMatching(data$, (n) => n?.data.toString() === `v${round}`, `data$ after failover ${round}`, 30_000);
      await nextMatching(children$, (c) => c?.includes(`child-${round}`) === true, `children$ after failover ${round}`, 30_000);
      await nextMatching(
        tree$,
        (t) => t.has(`/failover/child-${round}`) && t.get('/failover')?.data.toString() === `v${round}`,
        `tree$ after failover ${round}`,
        30_000,
      );
    };

    const leader = await ensemble.leaderIndex();
    await failOver(leader, 1);
    await ensemble.restart(leader);

    // Next, whichever member now holds the client's connection, so that it has to move.
    const serving = await memberServing(session);
    expect(serving).toBeGreaterThanOrEqual(0);
    await failOver(serving, 2);
    await ensemble.restart(serving);

    // Never a new session: only suspensions, each ended by the same session coming back.
    expect(states.values[0]).toBe('connected' satisfies ConnectionState);
    const after = states.values.slice(1);
    expect(after.every((s) => s === 'suspended' || s === 'reconnected')).toBe(true);
    expect(after.at(-1)).toBe('reconnected' satisfies ConnectionState);
    expect(after.filter((s) => s === 'reconnected').length).toBeGreaterThanOrEqual(2);
    // Same session all along: its ephemeral node is still there.
    expect((await writer.exists('/failover/mine'))?.ephemeralOwner).toBe(session);
    await writer.set('/failover', 'after');
    await nextMatching(data$, (n) => n?.data.toString() === 'after', 'data$ once every member is back');
    for (const s of streams) expect(s.errors).toEqual([]);
  }, 180_000);
});
