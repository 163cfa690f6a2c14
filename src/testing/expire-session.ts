import { connect as tcpConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseAddress, serversOf } from '../admin/connect-string.js';
import { sessionCredentials } from '../client/internal.js';
import type { ZkClient } from '../client/zk-client.js';
import type { SessionCredentials } from '../session/session-credentials.js';

/** Anything whose session {@link expireSession} can end: an rxzk client, or raw credentials. */
export type SessionHolder = ZkClient | SessionCredentials;

/** Options for {@link expireSession}. */
export interface ExpireSessionOptions {
  /**
   * Where to reach the servers. Default: the client's own connect string. Pass the servers'
   * address when the client talks through a {@link FaultProxy} that is refusing or blackholed.
   */
  connectString?: string;
  /** Give up after this long. Default 15000. */
  timeoutMs?: number;
}

const CLOSE_SESSION = -11;

/**
 * Ends a client's current session on the server, as a partition longer than the session timeout
 * would, and resolves once the server has ended it: its ephemeral nodes are gone and the client's
 * next reconnect is told the session expired. The client then recovers by itself.
 *
 * How: it attaches a second connection to the same session (id and password) and closes the
 * session from there, in one write. Attaching makes the server drop the client's own connection;
 * if the client reattaches first, the attempt is repeated until the server confirms the close.
 * A client that reattached just before the close can be left on a connection the server no longer
 * maps to the session; an rxzk client is then told to cut that connection, so it hears at once that
 * its session ended. (Raw credentials have no client to tell: such a connection then lasts until
 * the server or the client times it out.)
 *
 * @param holder An rxzk client, or `{ sessionId, sessionPassword, connectString }`.
 */
export async function expireSession(holder: SessionHolder, options: ExpireSessionOptions = {}): Promise<void> {
  const credentials = 'sessionPassword' in holder ? holder : sessionCredentials(holder);
  if (!credentials) throw new Error('expireSession: the client has no session yet (await zk.ready() first)');
  const connectString = options.connectString ?? credentials.connectString;
  const addresses = serversOf(connectString).map(parseAddress);
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const sessionHex = credentials.sessionId.toString('hex');
  for (let attempt = 0; ; attempt++) {
    const address = addresses[attempt % addresses.length]!;
    const outcome = await attach(address, credentials, true).catch(() => 'failed' as const);
    if (outcome === 'closed' || outcome === 'expired') {
      // If the client re-attached between our attach and our close, the server closed the session
      // but may keep the client's new connection open: a zombie the client would not notice for
      // a long time (or, on an ensemble follower, at all). Attaching to a session makes a server
      // drop the session's other connections, so every member is attached to once more (each now
      // answers "expired"); and an rxzk client, which can, cuts its own connection if it is still
      // on the ended session: the server may no longer know which connection that one is.
      await Promise.all(addresses.map((a) => attach(a, credentials, false).catch(() => 'failed')));
      credentials.dropConnection?.();
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`expireSession: could not end session 0x${sessionHex} within the timeout`);
    }
    await sleep(20 + Math.random() * 30);
  }
}

/**
 * Attaches to the session (and closes it, with `close`); 'expired' when the server no longer
 * knows it, 'attached' when it did and was not asked to close it.
 */
function attach(
  address: { host: string; port: number },
  credentials: SessionCredentials,
  close: boolean,
): Promise<'closed' | 'expired' | 'attached' | 'failed'> {
  return new Promise((resolve) => {
    const socket = tcpConnect(address);
    let received = Buffer.alloc(0);
    let connected = false;
    const finish = (outcome: 'closed' | 'expired' | 'attached' | 'failed') => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(5000, () => finish('failed'));
    socket.on('error', () => finish('failed'));
    socket.on('close', () => finish('failed'));
    socket.on('connect', () => {
      socket.write(close ? Buffer.concat([connectRequest(credentials), closeSessionRequest()]) : connectRequest(credentials));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        const frame = received.subarray(4, 4 + received.readInt32BE(0));
        received = received.subarray(4 + frame.length);
        if (!connected) {
          // ConnectResponse: protocolVersion, timeOut, sessionId, passwd. timeOut 0 = expired.
          if (frame.readInt32BE(4) <= 0) return finish('expired');
          if (!close) return finish('attached');
          connected = true;
        } else {
          // ReplyHeader: xid, zxid, err.
          return finish(frame.readInt32BE(12) === 0 ? 'closed' : 'failed');
        }
      }
    });
  });
}

function connectRequest(credentials: SessionCredentials): Buffer {
  const body = Buffer.alloc(4 + 8 + 4 + 8 + 4 + credentials.sessionPassword.length + 1);
  let o = 0;
  o = body.writeInt32BE(0, o); // protocolVersion
  o = body.writeBigInt64BE(0n, o); // lastZxidSeen
  o = body.writeInt32BE(30_000, o); // timeOut
  credentials.sessionId.copy(body, o);
  o += 8;
  o = body.writeInt32BE(credentials.sessionPassword.length, o);
  credentials.sessionPassword.copy(body, o);
  o += credentials.sessionPassword.length;
  body.writeUInt8(0, o); // readOnly = false
  return frame(body);
}

function closeSessionRequest(): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(1, 0); // xid
  body.writeInt32BE(CLOSE_SESSION, 4);
  return frame(body);
}

function frame(body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}
