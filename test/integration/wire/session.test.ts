import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseAddress, serversOf } from '../../../src/admin/connect-string.js';
import { fourLetter, parseSrvr } from '../../../src/admin/four-letter.js';
import { OPEN_ACL_UNSAFE } from '../../../src/model/acl.js';
import { expireSession, faultProxy } from '../../../src/testing/index.js';
import { CreateMode } from '../../../src/wire/create-modes.js';
import { ErrorCode } from '../../../src/wire/error-codes.js';
import { OpCode } from '../../../src/wire/opcodes.js';
import type { WireFailure } from '../../../src/wire/wire-client.js';
import { WireSession } from '../../../src/wire/wire-session.js';
import { tamperingProxy } from '../../helpers/tampering-proxy.js';
import { fails, nextEvent, op, testSession } from '../../helpers/wire-session.js';
import { eventually, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

describe('WireSession: the session', () => {
  it('an expired session is final: expired, every request fails with sessionExpired, no reconnect', async () => {
    const s = await testSession();
    const writer = await testSession();
    const base = await testRoot(await testClient(), 'wire-expired');
    await op(s, 'create', `${base}/e`, null, OPEN_ACL_UNSAFE, CreateMode.ephemeral, {});
    let connectionErrors = 0;
    s.on('connectionError', () => connectionErrors++);
    const expired = nextEvent(s, 'expired');
    await expireSession({
      sessionId: s.sessionId!,
      sessionPassword: s.sessionPassword!,
      connectString: sharedConnectString(),
      dropConnection: () => s.dropConnection(),
    });
    await expired;
    expect(s.state).toBe('expired');
    expect(await op(writer, 'exists', `${base}/e`, null)).toBeNull();
    expect(await fails(s, 'getData', base, null)).toMatchObject({ code: ErrorCode.sessionExpired });
    const errorsAtExpiry = connectionErrors;
    await op(writer, 'sync', base);
    expect(connectionErrors).toBe(errorsAtExpiry);
  });

  it('attaches to an existing session with its id and password', async () => {
    const s = await testSession();
    const again = await testSession({ sessionId: s.sessionId!, sessionPassword: s.sessionPassword! });
    expect(again.sessionIdHex).toBe(s.sessionIdHex);
    again.destroy();
  });

  it('rejected credentials are final: authFailed, every request fails with authFailed', async () => {
    const s = await testSession();
    const failed = nextEvent(s, 'authFailed');
    const answer = new Promise<WireFailure | null>((resolve) => s.addAuth('no-such-scheme', Buffer.from('x'), (e) => resolve(e)));
    expect(await failed).toEqual([{ scheme: 'no-such-scheme' }]);
    expect(await answer).toMatchObject({ code: ErrorCode.authFailed });
    expect(s.state).toBe('auth-failed');
    expect(await fails(s, 'exists', '/', null)).toMatchObject({ code: ErrorCode.authFailed });
  });

  it('credentials given up front are sent before anything else, and the session is announced once they are accepted', async () => {
    const s = await testSession({ auth: [{ scheme: 'digest', auth: Buffer.from('up:front') }] });
    expect(await op(s, 'whoAmI')).toContainEqual({ scheme: 'digest', id: 'up' });
  });

  it('close: requests made before are answered, the ephemerals go, later requests fail', async () => {
    const s = await testSession();
    const writer = await testSession();
    const base = await testRoot(await testClient(), 'wire-close');
    await op(s, 'create', `${base}/e`, null, OPEN_ACL_UNSAFE, CreateMode.ephemeral, {});
    const before = op(s, 'exists', `${base}/e`, null);
    let closedEvent = false;
    s.on('closed', () => (closedEvent = true));
    await s.close();
    expect(await before).not.toBeNull();
    expect(closedEvent).toBe(true);
    expect(s.state).toBe('closed');
    expect(await op(writer, 'exists', `${base}/e`, null)).toBeNull();
    expect(await fails(s, 'exists', base, null)).toMatchObject({ code: ErrorCode.sessionExpired });
  });

  it('sends the last zxid seen: a server behind it refuses the session, one at or past it takes it', async () => {
    const status = parseSrvr(await fourLetter(serversOf(sharedConnectString())[0]!, 'srvr'));
    const ahead = new WireSession(sharedConnectString(), { lastZxidSeen: status.zxid + 1_000_000n, reconnectJitterMs: 0, reconnectDelayMs: 50 });
    onTestFinished(() => ahead.destroy());
    let refusals = 0;
    let connected = false;
    ahead.on('connectionError', () => refusals++);
    ahead.on('connected', () => (connected = true));
    ahead.start();
    await eventually(() => refusals >= 3, 'three refused attempts');
    expect(connected).toBe(false);
    expect(ahead.state).toBe('connecting');

    const current = await testSession({ lastZxidSeen: status.zxid });
    expect(current.lastZxid).toBeGreaterThanOrEqual(status.zxid);
  });

  it('pings an idle connection, which keeps it', async () => {
    const proxy = await tamperingProxy(sharedConnectString());
    onTestFinished(() => proxy.close());
    const s = await testSession({ connectString: proxy.connectString, serverVersion: '3.8.0', sessionTimeoutMs: 1500 });
    let disconnects = 0;
    s.on('disconnected', () => disconnects++);
    const pings = () => proxy.connections[0]!.opcodes.filter((o) => o === OpCode.ping).length;
    await eventually(() => pings() >= 3, 'three pings');
    expect(disconnects).toBe(0);
    expect(s.state).toBe('connected');
  });

  it('cuts a connection that went silent (read timeout), and one that never answers the handshake (connect timeout)', async () => {
    const proxy = await faultProxy(sharedConnectString());
    onTestFinished(() => proxy.close());
    const s = await testSession({ connectString: proxy.connectString, serverVersion: '3.8.0', sessionTimeoutMs: 3000, connectTimeoutMs: 500 });
    const errors: string[] = [];
    s.on('connectionError', ({ error }) => errors.push(error.message));
    const disconnected = nextEvent(s, 'disconnected');
    await proxy.blackhole();
    await disconnected;
    expect(errors[0]).toMatch(/^nothing heard from 127\.0\.0\.1:\d+ for \d+ ms$/);
    await eventually(() => errors.some((m) => /^no session from 127\.0\.0\.1:\d+ within 500 ms$/.test(m)), 'an attempt cut at its deadline');
    const back = nextEvent(s, 'connected');
    await proxy.restore();
    await back;
  });

  it('speaks TLS to a secure port (here a TLS terminator in front of the server), srvr included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxzk-wire-tls-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    const key = readFileSync(join(dir, 'key.pem'));
    const cert = readFileSync(join(dir, 'cert.pem'));
    const target = parseAddress(serversOf(sharedConnectString())[0]!);
    let secured = 0;
    const terminator = createTlsServer({ key, cert }, (socket) => {
      secured++;
      const upstream = tcpConnect(target);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => terminator.listen({ host: '127.0.0.1', port: 0 }, resolve));
    onTestFinished(() => new Promise<void>((resolve) => terminator.close(() => resolve())));
    const address = terminator.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const s = await testSession({ connectString: `127.0.0.1:${port}`, tls: { ca: cert } });
    const base = await testRoot(await testClient(), 'wire-tls');
    await op(s, 'create', `${base}/n`, Buffer.from('over tls'), OPEN_ACL_UNSAFE, CreateMode.persistent, {});
    expect((await op(s, 'getData', `${base}/n`, null)).data?.toString()).toBe('over tls');
    await eventually(() => s.serverVersion !== null, 'the server version, asked over TLS');
    expect(s.serverVersion?.major).toBe(3);
    expect(secured).toBeGreaterThanOrEqual(2);

    const untrusted = new WireSession(`127.0.0.1:${port}`, { tls: {}, serverVersion: '3.8.0', reconnectJitterMs: 0 });
    onTestFinished(() => untrusted.destroy());
    const refused = new Promise<Error>((resolve) => untrusted.once('connectionError', ({ error }) => resolve(error)));
    untrusted.start();
    expect((await refused).message).toMatch(/self[- ]signed/i);
  });
});
