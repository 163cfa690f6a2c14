import { connect as tcpConnect, type Socket } from 'node:net';
import { parseAddress } from '../../src/admin/connect-string.js';

/** What kind of node {@link createExtended} makes. */
export type ExtendedNode = { kind: 'container' } | { kind: 'persistent-ttl'; ttlMs: number };

const CREATE_CONTAINER = 19;
const CREATE_TTL = 21;
const CLOSE_SESSION = -11;
const FLAGS = { container: 4, 'persistent-ttl': 5 } as const;
const ALL_PERMS = 31;

/**
 * Creates a container or TTL node over a connection of its own and returns the server's error
 * code (0: created; -6: the server does not allow the mode). node-zookeeper-client, the wire
 * under rxzk for now, predates these create modes; the harness must still prove its servers
 * accept them.
 */
export async function createExtended(address: string, path: string, node: ExtendedNode): Promise<number> {
  const socket = tcpConnect(parseAddress(address));
  const replies = frames(socket);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    // ConnectRequest: protocolVersion, lastZxidSeen, timeOut, sessionId, passwd.
    socket.write(frame(int(0), long(0n), int(10_000), long(0n), buffer(Buffer.alloc(16))));
    await replies.next();
    const acl = Buffer.concat([int(1), int(ALL_PERMS), string('world'), string('anyone')]);
    const body = [string(path), buffer(Buffer.alloc(0)), acl, int(FLAGS[node.kind])];
    if (node.kind === 'persistent-ttl') body.push(long(BigInt(node.ttlMs)));
    socket.write(frame(int(1), int(node.kind === 'container' ? CREATE_CONTAINER : CREATE_TTL), ...body));
    // After the length: ReplyHeader { xid, zxid, err }.
    const reply = (await replies.next()).value as Buffer;
    socket.write(frame(int(2), int(CLOSE_SESSION)));
    return reply.readInt32BE(4 + 4 + 8);
  } finally {
    socket.destroy();
  }
}

/** The length-prefixed frames the server sends, whole (length included). */
async function* frames(socket: Socket): AsyncGenerator<Buffer> {
  let pending = Buffer.alloc(0);
  for await (const chunk of socket) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= 4 && pending.length >= pending.readInt32BE(0) + 4) {
      const size = pending.readInt32BE(0);
      yield pending.subarray(0, size + 4);
      pending = pending.subarray(size + 4);
    }
  }
  throw new Error('the server closed the connection');
}

const int = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const long = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
};
const buffer = (data: Buffer) => Buffer.concat([int(data.length), data]);
const string = (s: string) => buffer(Buffer.from(s, 'utf8'));
const frame = (...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([int(body.length), body]);
};
