import { describe, expect, it, onTestFinished } from 'vitest';
import { OPEN_ACL_UNSAFE } from '../../../src/model/acl.js';
import { CreateMode } from '../../../src/wire/create-modes.js';
import { ErrorCode } from '../../../src/wire/error-codes.js';
import { EventType } from '../../../src/wire/event-types.js';
import { OpCode } from '../../../src/wire/opcodes.js';
import { ProtocolError } from '../../../src/wire/protocol-error.js';
import type { WatchEvent, WireFailure } from '../../../src/wire/wire-client.js';
import type { WireSession } from '../../../src/wire/wire-session.js';
import { tamperingProxy, type TamperingProxy } from '../../helpers/tampering-proxy.js';
import { notificationFrame, replyFrame } from '../../helpers/wire-frames.js';
import { nextEvent, op, testSession } from '../../helpers/wire-session.js';
import { eventually, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

/** A session through a tampering proxy, with what it reports recorded. */
async function tampered(name: string): Promise<{
  proxy: TamperingProxy;
  s: WireSession;
  writer: WireSession;
  base: string;
  errors: Error[];
  connects: () => number;
}> {
  const proxy = await tamperingProxy(sharedConnectString());
  onTestFinished(() => proxy.close());
  // The version is given: no srvr probe through the proxy, whose connection list stays the session's.
  const s = await testSession({ connectString: proxy.connectString, serverVersion: '3.8.0', sessionTimeoutMs: 10_000 });
  const errors: Error[] = [];
  let connects = 1;
  s.on('connectionError', ({ error }) => errors.push(error));
  s.on('connected', () => connects++);
  const writer = await testSession();
  const base = await testRoot(await testClient(), `wire-fault-${name}`);
  return { proxy, s, writer, base, errors, connects: () => connects };
}

/** Arms a data watch on a fresh node; returns what it hears. */
async function watched(s: WireSession, writer: WireSession, path: string): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  await op(writer, 'create', path, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
  await op(s, 'getData', path, (event) => void events.push(event));
  return events;
}

/**
 * After a fault: the session is back on the same session id, the watch armed before it still
 * fires, and requests work.
 */
async function recovered(s: WireSession, writer: WireSession, path: string, events: WatchEvent[], session: string | null): Promise<void> {
  await eventually(() => s.state === 'connected', 'the session to be connected again');
  expect(s.sessionIdHex).toBe(session);
  await op(s, 'sync', path);
  await op(writer, 'setData', path, Buffer.from('after'), -1);
  await eventually(() => events.length > 0, 'the watch armed before the fault to fire');
  expect(events).toEqual([{ type: EventType.nodeDataChanged, path }]);
  expect((await op(s, 'getData', path, null)).data).toEqual(Buffer.from('after'));
}

describe('WireSession under faults (the process never crashes; no request is lost silently)', () => {
  it('a connection cut in the middle of a frame: the request it carried fails with connectionLoss, the session goes on', async () => {
    const { proxy, s, writer, base, errors } = await tampered('cut');
    const events = await watched(s, writer, `${base}/w`);
    await op(writer, 'create', `${base}/big`, Buffer.alloc(200_000, 7), OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    const session = s.sessionIdHex;
    const cut = proxy.cutNextFrameInHalf();
    const lost = await op(s, 'getData', `${base}/big`, null).catch((e: WireFailure) => e);
    await cut;
    expect(lost).toMatchObject({ code: ErrorCode.connectionLoss, path: `${base}/big` });
    await recovered(s, writer, `${base}/w`, events, session);
    expect(errors.length).toBeGreaterThan(0);
    expect((await op(s, 'getData', `${base}/big`, null)).data).toEqual(Buffer.alloc(200_000, 7));
  });

  it.each([
    ['a reply to a request never made (xid out of order)', () => replyFrame(987_654, 1n, 0, (w) => w.string('?')), /xid out of order|no request waiting/],
    ['a frame shorter than a reply header', () => Buffer.from([0, 0, 0, 3, 1, 2, 3]), /needs .* bytes/],
    ['a frame length out of range', () => Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0]), /frame length 2147483647 is out of range/],
    ['a negative frame length', () => Buffer.from([0xff, 0xff, 0xff, 0xf0]), /frame length -16 is out of range/],
    ['an event of an unknown type', () => notificationFrame(99, '/no/such/event'), /watch event of unknown type 99/],
    ['a multi result of an unknown type', null, /multi result of unknown type 77/],
  ] as const)('%s: a protocol error that costs the connection, not the session', async (_, bytes, message) => {
    const { proxy, s, writer, base, errors, connects } = await tampered('garbage');
    const events = await watched(s, writer, `${base}/w`);
    const session = s.sessionIdHex;
    const disconnected = nextEvent(s, 'disconnected');
    if (bytes) {
      proxy.inject(bytes());
    } else {
      // A reply the client is waiting for, whose body is not what ZooKeeper sends: its request
      // fails, with the rest of the connection.
      const pending = op(s, 'multi', [{ type: 'check', path: `${base}/w`, version: -1 }]).catch((e: WireFailure) => e);
      const xid = (s as unknown as { xid: number }).xid - 1;
      proxy.inject(replyFrame(xid, 1n, 0, (w) => {
        w.int(77);
        w.boolean(false);
        w.int(0);
      }));
      expect(await pending).toMatchObject({ code: ErrorCode.connectionLoss });
    }
    await disconnected;
    await recovered(s, writer, `${base}/w`, events, session);
    const protocolErrors = errors.filter((e) => e instanceof ProtocolError);
    expect(protocolErrors).toHaveLength(1);
    expect(protocolErrors[0]!.message).toMatch(message);
    expect(connects()).toBe(2);
  });

  it('requests in flight when a garbage frame comes all fail with connectionLoss, in order; none is left hanging', async () => {
    const { proxy, s, writer, base } = await tampered('in-flight');
    await op(writer, 'create', `${base}/n`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    const outcomes: string[] = [];
    const pending = Array.from({ length: 50 }, (_, i) =>
      op(s, 'getData', `${base}/n`, null).then(
        () => outcomes.push(`${i} ok`),
        (e: WireFailure) => outcomes.push(`${i} ${e.code}`),
      ),
    );
    proxy.inject(replyFrame(-77, 0n, 0));
    await Promise.all(pending);
    expect(outcomes).toHaveLength(50);
    // Each either answered before the garbage or lost with the connection: nothing else.
    expect(outcomes.every((o) => /^\d+ (ok|-4)$/.test(o))).toBe(true);
    await eventually(() => s.state === 'connected', 'the session back');
    expect((await op(s, 'exists', `${base}/n`, null))?.version).toBe(0);
  });

  it('on a new connection: credentials first, then the watches, then what waited, in one write', async () => {
    const proxy = await tamperingProxy(sharedConnectString());
    onTestFinished(() => proxy.close());
    const s = await testSession({
      connectString: proxy.connectString,
      serverVersion: '3.8.0',
      auth: [{ scheme: 'digest', auth: Buffer.from('a:b') }],
    });
    const base = await testRoot(await testClient(), 'wire-priming');
    await op(s, 'create', `${base}/n`, null, OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    await op(s, 'getData', `${base}/n`, () => {});
    await op(s, 'addWatch', base, 1, () => {});
    const dropped = nextEvent(s, 'disconnected');
    s.dropConnection();
    await dropped;
    // Made while there is no connection: they wait for the next one.
    const waited = [op(s, 'exists', `${base}/n`, null), op(s, 'getChildren', base, null), op(s, 'setData', `${base}/n`, null, -1)];
    await Promise.all(waited);
    const second = proxy.connections.filter((c) => c.opcodes.length > 0)[1]!;
    expect(second.opcodes.slice(0, 6)).toEqual(['connect', OpCode.auth, OpCode.setWatches2, OpCode.exists, OpCode.getChildren, OpCode.setData]);
    // The connect request, then everything after the handshake as one write.
    expect(second.chunks).toBe(2);
  });

  it('writes a burst of requests made in one turn as one socket write', async () => {
    const s = await testSession({ serverVersion: '3.8.0' });
    const base = await testRoot(await testClient(), 'wire-burst');
    const socket = (s as unknown as { connection: { socket: { write: (chunk: Buffer) => boolean } } }).connection.socket;
    const write = socket.write.bind(socket);
    let writes = 0;
    socket.write = (chunk: Buffer) => {
      writes++;
      return write(chunk);
    };
    await Promise.all(Array.from({ length: 500 }, () => op(s, 'exists', base, null)));
    expect(writes).toBe(1);
  });
});
