import { describe, expect, it, onTestFinished } from 'vitest';
import { serversOf } from '../../../src/admin/connect-string.js';
import { fourLetter } from '../../../src/admin/four-letter.js';
import { OPEN_ACL_UNSAFE } from '../../../src/model/acl.js';
import { faultProxy } from '../../../src/testing/index.js';
import { CreateMode } from '../../../src/wire/create-modes.js';
import { AddWatchMode, EventType, WatcherType } from '../../../src/wire/event-types.js';
import type { MultiOp, WatchEvent, Watcher } from '../../../src/wire/wire-client.js';
import type { WireSession } from '../../../src/wire/wire-session.js';
import { nextEvent, op, testSession } from '../../helpers/wire-session.js';
import { eventually, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

async function root(name: string): Promise<string> {
  return testRoot(await testClient(), `wire-${name}`);
}

/** A watcher that records what it hears. */
function recorder(): Watcher & { events: WatchEvent[] } {
  const events: WatchEvent[] = [];
  return Object.assign((event: WatchEvent) => void events.push(event), { events });
}

/** The paths the server holds watches on for this session (`wchc`). */
async function serverWatches(session: WireSession): Promise<string[]> {
  const reply = await fourLetter(serversOf(sharedConnectString())[0]!, 'wchc');
  const blocks = reply.split(/\n(?=0x)/);
  const mine = blocks.find((block) => block.startsWith(`0x${session.sessionIdHex}`));
  return mine ? mine.split('\n').slice(1).map((line) => line.trim()).filter(Boolean) : [];
}

describe('WireSession watches', () => {
  it('one-shot data, exists and child watches fire once, with their event types', async () => {
    const s = await testSession();
    const writer = await testSession();
    const base = await root('one-shot');
    const data = recorder();
    const exist = recorder();
    const child = recorder();
    await op(s, 'create', `${base}/n`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(s, 'getData', `${base}/n`, data);
    await op(s, 'exists', `${base}/later`, exist);
    await op(s, 'getChildren', `${base}/n`, child);

    await op(writer, 'setData', `${base}/n`, Buffer.from('1'), -1);
    await op(writer, 'setData', `${base}/n`, Buffer.from('2'), -1);
    await op(writer, 'create', `${base}/later`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(writer, 'create', `${base}/n/c`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(writer, 'create', `${base}/n/d`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await eventually(() => data.events.length + exist.events.length + child.events.length >= 3, 'the three watches');
    // A later read through the same session comes after any event the server sent before it.
    await op(s, 'sync', base);
    await op(s, 'exists', base, null);
    expect(data.events).toEqual([{ type: EventType.nodeDataChanged, path: `${base}/n` }]);
    expect(exist.events).toEqual([{ type: EventType.nodeCreated, path: `${base}/later` }]);
    expect(child.events).toEqual([{ type: EventType.nodeChildrenChanged, path: `${base}/n` }]);
  });

  it('a delete fires the data and child watches of the node; one function under several kinds is called once', async () => {
    const s = await testSession();
    const base = await root('delete');
    const both = recorder();
    await op(s, 'create', `${base}/n`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(s, 'getData', `${base}/n`, both);
    await op(s, 'exists', `${base}/n`, both);
    await op(s, 'getChildren', `${base}/n`, both);
    await op(s, 'delete', `${base}/n`, -1);
    await eventually(() => both.events.length > 0, 'the delete event');
    await op(s, 'exists', base, null);
    expect(both.events).toEqual([{ type: EventType.nodeDeleted, path: `${base}/n` }]);
  });

  it('a persistent watch hears every event on its node and stays', async () => {
    const s = await testSession();
    const base = await root('persistent');
    const watch = recorder();
    await op(s, 'addWatch', `${base}/p`, AddWatchMode.persistent, watch);
    await op(s, 'create', `${base}/p`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(s, 'setData', `${base}/p`, Buffer.from('x'), -1);
    await op(s, 'create', `${base}/p/c`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(s, 'setData', `${base}/p/c`, Buffer.from('x'), -1);
    await op(s, 'delete', `${base}/p/c`, -1);
    await op(s, 'delete', `${base}/p`, -1);
    await op(s, 'create', `${base}/p`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await eventually(() => watch.events.length >= 6, 'six events');
    await op(s, 'exists', base, null);
    // Not the data change of the child: that is for a recursive watch.
    expect(watch.events.map((e) => e.type)).toEqual([
      EventType.nodeCreated,
      EventType.nodeDataChanged,
      EventType.nodeChildrenChanged,
      EventType.nodeChildrenChanged,
      EventType.nodeDeleted,
      EventType.nodeCreated,
    ]);
    expect(watch.events.every((e) => e.path === `${base}/p`)).toBe(true);
  });

  it('a persistent recursive watch hears its subtree, children events aside, and stays', async () => {
    const s = await testSession();
    const base = await root('recursive');
    const watch = recorder();
    await op(s, 'addWatch', base, AddWatchMode.persistentRecursive, watch);
    await op(s, 'create', `${base}/a`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(s, 'create', `${base}/a/b`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(s, 'setData', `${base}/a/b`, Buffer.from('x'), -1);
    await op(s, 'delete', `${base}/a/b`, -1);
    await op(s, 'setData', base, Buffer.from('y'), -1);
    await eventually(() => watch.events.length >= 5, 'five events');
    await op(s, 'exists', base, null);
    expect(watch.events).toEqual([
      { type: EventType.nodeCreated, path: `${base}/a` },
      { type: EventType.nodeCreated, path: `${base}/a/b` },
      { type: EventType.nodeDataChanged, path: `${base}/a/b` },
      { type: EventType.nodeDeleted, path: `${base}/a/b` },
      { type: EventType.nodeDataChanged, path: base },
    ]);
  });

  it('removeWatches: the watcher hears of its removal and nothing more, and the server drops the watch', async () => {
    const s = await testSession();
    const base = await root('remove');
    await op(s, 'create', `${base}/n`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    const kept = recorder();
    const removed = recorder();
    await op(s, 'getData', `${base}/n`, kept);
    await op(s, 'getData', `${base}/n`, removed);
    await op(s, 'getChildren', `${base}/n`, kept);
    // Another watcher of the kind stays: the server's watch stays too.
    await op(s, 'removeWatches', `${base}/n`, WatcherType.data, removed);
    expect(removed.events).toEqual([{ type: EventType.dataWatchRemoved, path: `${base}/n` }]);
    expect(await serverWatches(s)).toContain(`${base}/n`);
    // The last ones go: so does the server's.
    await op(s, 'removeWatches', `${base}/n`, WatcherType.any, null);
    expect(kept.events.map((e) => e.type).sort()).toEqual([EventType.dataWatchRemoved, EventType.childWatchRemoved].sort());
    expect(await serverWatches(s)).not.toContain(`${base}/n`);
    await op(s, 'setData', `${base}/n`, Buffer.from('x'), -1);
    await op(s, 'exists', base, null);
    expect(kept.events).toHaveLength(2);
    expect(removed.events).toHaveLength(1);
    expect((await op(s, 'removeWatches', `${base}/n`, WatcherType.data, null).catch((e: { code: number }) => e.code))).toBe(-121);

    const persistent = recorder();
    await op(s, 'addWatch', `${base}/n`, AddWatchMode.persistentRecursive, persistent);
    await op(s, 'checkWatches', `${base}/n`, WatcherType.any);
    await op(s, 'removeWatches', `${base}/n`, WatcherType.persistentRecursive, null);
    expect(persistent.events).toEqual([{ type: EventType.persistentWatchRemoved, path: `${base}/n` }]);
    expect(await serverWatches(s)).not.toContain(`${base}/n`);
  });

  it('every kind of watch is re-registered on a new connection, and hears what changed while it was down', async () => {
    const proxy = await faultProxy(sharedConnectString());
    onTestFinished(() => proxy.close());
    const s = await testSession({ connectString: proxy.connectString, sessionTimeoutMs: 10_000 });
    const writer = await testSession();
    const base = await root('re-register');
    for (const name of ['d', 'c', 'p', 'r', 'r/x']) await op(writer, 'create', `${base}/${name}`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    const watches = { data: recorder(), exist: recorder(), child: recorder(), persistent: recorder(), recursive: recorder() };
    await op(s, 'getData', `${base}/d`, watches.data);
    await op(s, 'exists', `${base}/e`, watches.exist);
    await op(s, 'getChildren', `${base}/c`, watches.child);
    await op(s, 'addWatch', `${base}/p`, AddWatchMode.persistent, watches.persistent);
    await op(s, 'addWatch', `${base}/r`, AddWatchMode.persistentRecursive, watches.recursive);
    const session = s.sessionIdHex;

    await proxy.refuse();
    await nextEvent(s, 'disconnected');
    // Made while the session has no connection: heard once it is back (SetWatches' relativeZxid).
    await op(writer, 'setData', `${base}/d`, Buffer.from('1'), -1);
    await op(writer, 'create', `${base}/e`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(writer, 'create', `${base}/c/k`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    const reconnected = nextEvent(s, 'connected');
    await proxy.restore();
    await reconnected;
    expect(s.sessionIdHex).toBe(session);
    // The server replays what one-shot watches missed (by zxid), but a persistent watch hears
    // only what comes after it is back: a reply to a request made now comes after that.
    await op(s, 'sync', base);
    // Made after: heard by the persistent watches, which stay.
    await op(writer, 'setData', `${base}/p`, Buffer.from('1'), -1);
    await op(writer, 'setData', `${base}/r/x`, Buffer.from('1'), -1);
    await eventually(
      () => Object.values(watches).every((w) => w.events.length > 0),
      'an event for every watch after the reconnect',
    );
    expect(watches.data.events).toEqual([{ type: EventType.nodeDataChanged, path: `${base}/d` }]);
    expect(watches.exist.events).toEqual([{ type: EventType.nodeCreated, path: `${base}/e` }]);
    expect(watches.child.events).toEqual([{ type: EventType.nodeChildrenChanged, path: `${base}/c` }]);
    expect(watches.persistent.events).toEqual([{ type: EventType.nodeDataChanged, path: `${base}/p` }]);
    expect(watches.recursive.events).toEqual([{ type: EventType.nodeDataChanged, path: `${base}/r/x` }]);
  });

  it('30,000 watched paths of ~100 characters survive a reconnect: one reconnect, and every watch fires', { timeout: 300_000 }, async () => {
    const proxy = await faultProxy(sharedConnectString());
    onTestFinished(() => proxy.close());
    const s = await testSession({ connectString: proxy.connectString, sessionTimeoutMs: 20_000 });
    const writer = await testSession({ sessionTimeoutMs: 20_000 });
    const base = await root('thirty-thousand');
    const per = 10_000;
    const name = (kind: string, i: number) => `${base}/${kind}-${'x'.repeat(100 - base.length - 8)}${String(i).padStart(5, '0')}`;
    const dataPaths = Array.from({ length: per }, (_, i) => name('d', i));
    const childPaths = Array.from({ length: per }, (_, i) => name('c', i));
    const missingPaths = Array.from({ length: per }, (_, i) => name('e', i));
    expect(dataPaths[0]!.length).toBeGreaterThanOrEqual(95);
    await inBatches(writer, [...dataPaths, ...childPaths].map((path) => createOp(path)));

    const fired = new Set<string>();
    const watcher: Watcher = (event) => void fired.add(`${event.type} ${event.path}`);
    await Promise.all([
      ...dataPaths.map((p) => op(s, 'getData', p, watcher)),
      ...childPaths.map((p) => op(s, 'getChildren', p, watcher)),
      ...missingPaths.map((p) => op(s, 'exists', p, watcher)),
    ]);
    let connects = 0;
    let disconnects = 0;
    s.on('connected', () => connects++);
    s.on('disconnected', () => disconnects++);

    await proxy.refuse();
    await nextEvent(s, 'disconnected');
    const back = nextEvent(s, 'connected', 60_000);
    await proxy.restore();
    await back;
    // Whatever comes next must be heard through watches re-registered by SetWatches: ~3 MB of
    // paths, which in one packet the server (jute.maxbuffer 1 MB) would refuse by closing the
    // connection, again at every reconnect.
    await inBatches(writer, [
      ...dataPaths.map((path): MultiOp => ({ type: 'setData', path, data: Buffer.from('1'), version: -1 })),
      ...childPaths.map((path) => createOp(`${path}/k`)),
      ...missingPaths.map((path) => createOp(path)),
    ]);
    await eventually(() => fired.size === 3 * per, `all ${3 * per} watches to fire (${fired.size} so far)`, 120_000);
    for (const p of dataPaths) expect(fired.has(`${EventType.nodeDataChanged} ${p}`)).toBe(true);
    for (const p of childPaths) expect(fired.has(`${EventType.nodeChildrenChanged} ${p}`)).toBe(true);
    for (const p of missingPaths) expect(fired.has(`${EventType.nodeCreated} ${p}`)).toBe(true);
    expect({ connects, disconnects }).toEqual({ connects: 1, disconnects: 1 });
    expect(s.state).toBe('connected');
    // Cleared here in multis: the test root's own cleanup would delete them one by one.
    const remove = (path: string): MultiOp => ({ type: 'delete', path, version: -1 });
    await inBatches(writer, [...childPaths.map((p) => remove(`${p}/k`)), ...dataPaths.map(remove), ...missingPaths.map(remove)]);
    await inBatches(writer, childPaths.map(remove));
  });
});

function createOp(path: string): MultiOp {
  return { type: 'create', path, data: null, acl: OPEN_ACL_UNSAFE, mode: CreateMode.persistent };
}

/** Runs the steps as multis of 1,000, a few at a time. */
async function inBatches(session: WireSession, steps: MultiOp[]): Promise<void> {
  const batches: MultiOp[][] = [];
  for (let i = 0; i < steps.length; i += 1000) batches.push(steps.slice(i, i + 1000));
  for (let i = 0; i < batches.length; i += 4) {
    await Promise.all(batches.slice(i, i + 4).map((batch) => op(session, 'multi', batch)));
  }
}
