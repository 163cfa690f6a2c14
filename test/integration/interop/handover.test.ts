import { describe, expect, it, onTestFinished } from 'vitest';
import { expireSession, faultProxy } from '../../../src/testing/index.js';
import type { NodeScheme } from '../../../src/index.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';
import { rxzkHold, waitingFor, type Recipe } from './participants.js';
import { Peer, type PeerKind } from './peers.js';

/**
 * rxzk and the real Curator and kazoo, each in a process of its own, on the same znodes: whoever
 * holds is waited for by the other, and the turn passes both ways after a release, a session
 * expiry and a session close.
 */
interface Pair {
  readonly name: string;
  /** What the other client takes. */
  readonly foreign: Recipe;
  /** What rxzk takes. */
  readonly rxzk: Recipe;
}

const pairs: readonly Pair[] = [
  { name: 'lock', foreign: 'lock', rxzk: 'lock' },
  { name: 'read/write lock (their writer, our reader)', foreign: 'write', rxzk: 'read' },
  { name: 'read/write lock (their reader, our writer)', foreign: 'read', rxzk: 'write' },
  { name: 'semaphore', foreign: 'semaphore', rxzk: 'semaphore' },
  { name: 'leadership', foreign: 'leader', rxzk: 'leader' },
];

const kinds: readonly PeerKind[] = ['curator', 'kazoo'];

describe.each(kinds)('beside %s', (kind) => {
  it.each(pairs)(
    '$name: each waits for the other; the turn passes after a release, an expiry and a close, both ways',
    async ({ name, foreign, rxzk }) => {
      const observer = await testClient();
      const root = await testRoot(observer, `interop-${kind}-${foreign}-${rxzk}`);
      const path = `${root}/recipe`;
      const recipe = rxzk;
      // rxzk talks through a proxy, so that step 4 can keep it away while its session is ended.
      const proxy = await faultProxy(sharedConnectString());
      onTestFinished(() => proxy.close());
      const hz = await testClient({ connectString: proxy.connectString, sessionTimeoutMs: 6_000 });
      // kazoo's semaphore has a layout of its own: rxzk's default (Curator's) cannot see it.
      const defaultScheme: NodeScheme = kind === 'kazoo' && recipe === 'semaphore' ? 'kazoo' : 'rxzk';
      const layout: NodeScheme = kind === 'kazoo' && recipe === 'semaphore' ? 'kazoo' : 'curator';
      const hold = (peer: Peer, tag: string) => peer.send({ cmd: 'hold', tag, recipe: foreign, path, id: `${kind}-${tag}`, permits: 1 });
      const peer = await Peer.start(kind);
      let theirs = await peer.session();

      // 1. They hold; rxzk, in its own naming, waits; they release: rxzk takes over.
      hold(peer, 'a');
      await peer.next((e) => e.tag === 'a' && e.event === 'acquired', `${name}: theirs acquired`);
      const first = record(rxzkHold(hz, recipe, path, defaultScheme, 'rxzk-1'));
      await waitingFor(observer, recipe, path, layout, hz.sessionId!, theirs.id);
      expect(first.values).not.toContain('acquired');
      peer.send({ cmd: 'release', tag: 'a' });
      await eventually(() => first.values.at(-1) === 'acquired', 'rxzk to take over after their release');
      first.subscription.unsubscribe();

      // 2. rxzk holds, named their way; they wait; rxzk releases: they take over.
      const second = record(rxzkHold(hz, recipe, path, kind, 'rxzk-2'));
      await eventually(() => second.values.at(-1) === 'acquired', 'rxzk to acquire');
      hold(peer, 'b');
      await waitingFor(observer, recipe, path, layout, theirs.id, hz.sessionId!);
      expect(peer.has('b', 'acquired')).toBe(false);
      second.subscription.unsubscribe();
      await peer.next((e) => e.tag === 'b' && e.event === 'acquired', 'theirs to take over after rxzk released');

      // 3. They hold; rxzk waits; their session expires: rxzk takes over.
      const third = record(rxzkHold(hz, recipe, path, kind, 'rxzk-3'));
      await waitingFor(observer, recipe, path, layout, hz.sessionId!, theirs.id);
      expect(third.values).not.toContain('acquired');
      await expireSession(theirs);
      await eventually(() => third.values.at(-1) === 'acquired', 'rxzk to take over after their session expired');
      // Their holding went with the session: let it go, and find their new session.
      peer.send({ cmd: 'release', tag: 'b' });
      await peer.next((e) => e.tag === 'b' && e.event === 'released', 'their expired holding to be let go');
      const expired = theirs.id;
      await eventually(async () => {
        theirs = await peer.session();
        return theirs.id !== expired && theirs.id !== '0';
      }, 'their client to have a new session');

      // 4. rxzk holds; they wait; rxzk's session expires: they take over.
      hold(peer, 'd');
      await waitingFor(observer, recipe, path, layout, theirs.id, hz.sessionId!);
      expect(peer.has('d', 'acquired')).toBe(false);
      const ours = hz.sessionId!;
      // Ended while rxzk is cut off (a partition), so that rxzk queues again only after they took
      // over: kazoo 2.8's ReadLock waits on the last writer in the queue even when that writer is
      // behind it (python-zk/kazoo#649), and would wait for rxzk's new writer forever.
      await proxy.blackhole();
      await expireSession(hz, { connectString: sharedConnectString() });
      await peer.next((e) => e.tag === 'd' && e.event === 'acquired', 'theirs to take over after rxzk’s session expired');
      await proxy.restore();

      // 5. They hold; rxzk, queued again on its new session, waits; their client closes: rxzk takes over.
      await eventually(() => hz.sessionId !== null && hz.sessionId !== ours, 'rxzk to have a new session');
      await waitingFor(observer, recipe, path, layout, hz.sessionId!, theirs.id);
      expect(third.values.at(-1)).not.toBe('acquired');
      await peer.close();
      await eventually(() => third.values.at(-1) === 'acquired', 'rxzk to take over after their client closed');

      // 6. rxzk holds; another client of theirs waits; rxzk's client closes: they take over.
      const next = await Peer.start(kind);
      const nextSession = await next.session();
      hold(next, 'f');
      await waitingFor(observer, recipe, path, layout, nextSession.id, hz.sessionId!);
      expect(next.has('f', 'acquired')).toBe(false);
      await hz.close();
      await next.next((e) => e.tag === 'f' && e.event === 'acquired', 'theirs to take over after rxzk’s client closed');
      expect([...first.errors, ...second.errors, ...third.errors]).toEqual([]);
    },
    180_000,
  );

  it('readers share the lock across clients, both ways', async () => {
    const observer = await testClient();
    const path = `${await testRoot(observer, `interop-${kind}-readers`)}/recipe`;
    const peer = await Peer.start(kind);
    peer.send({ cmd: 'hold', tag: 'r1', recipe: 'read', path, id: `${kind}-r1` });
    await peer.next((e) => e.tag === 'r1' && e.event === 'acquired', 'their reader');
    const ours = record(rxzkHold(observer, 'read', path, kind, 'rxzk-reader'));
    await eventually(() => ours.values.at(-1) === 'acquired', 'our reader to hold beside theirs');
    peer.send({ cmd: 'hold', tag: 'r2', recipe: 'read', path, id: `${kind}-r2` });
    await peer.next((e) => e.tag === 'r2' && e.event === 'acquired', 'another reader of theirs to hold beside ours');
    expect(ours.values.at(-1)).toBe('acquired');
  });
});
