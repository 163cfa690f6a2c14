import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { parseAddress } from '../../src/admin/connect-string.js';

/** Cuts a byte stream into length-prefixed frames (test code: simple, not fast). */
class Frames {
  private pending = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (size < 0 || this.pending.length < size + 4) break;
      frames.push(this.pending.subarray(0, size + 4));
      this.pending = this.pending.subarray(size + 4);
    }
    return frames;
  }
}

/** What a client sent on one connection: the request types of its frames, in order (`connect` first). */
export interface SentRequests {
  readonly opcodes: (number | 'connect')[];
  /** The TCP chunks that carried them. */
  chunks: number;
}

/**
 * A TCP proxy in front of one ZooKeeper server that plays a broken network or server on command:
 * it forwards whole frames from the server, and can cut one in the middle or put frames of its
 * own (garbage, unknown events) between them. It records the request types each client
 * connection sent.
 */
export interface TamperingProxy {
  readonly connectString: string;
  /** One entry per client connection, in order. */
  readonly connections: readonly SentRequests[];
  /** Sends the first half of the next frame from the server, then cuts that connection. */
  cutNextFrameInHalf(): Promise<void>;
  /** Sends these bytes to every open client connection, between two frames of the server. */
  inject(bytes: Buffer): void;
  close(): Promise<void>;
}

export async function tamperingProxy(target: string): Promise<TamperingProxy> {
  const { host, port } = parseAddress(target);
  const open = new Set<{ client: Socket; upstream: Socket }>();
  const connections: SentRequests[] = [];
  let cut: (() => void) | null = null;

  const server: Server = createServer((client) => {
    client.setNoDelay(true);
    const sent: SentRequests = { opcodes: [], chunks: 0 };
    connections.push(sent);
    const upstream = tcpConnect({ host, port });
    upstream.setNoDelay(true);
    const pair = { client, upstream };
    open.add(pair);
    const fromClient = new Frames();
    const fromServer = new Frames();
    client.on('data', (chunk: Buffer) => {
      sent.chunks++;
      for (const frame of fromClient.push(chunk)) sent.opcodes.push(sent.opcodes.length === 0 ? 'connect' : frame.readInt32BE(8));
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      for (const frame of fromServer.push(chunk)) {
        if (cut) {
          const done = cut;
          cut = null;
          client.write(frame.subarray(0, Math.max(1, frame.length >> 1)), () => {
            client.destroy();
            upstream.destroy();
            done();
          });
          return;
        }
        client.write(frame);
      }
    });
    const end = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    client.on('close', end);
    upstream.on('error', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  const proxyPort = typeof address === 'object' && address ? address.port : 0;

  return {
    connectString: `127.0.0.1:${proxyPort}`,
    connections,
    cutNextFrameInHalf: () => new Promise<void>((resolve) => (cut = resolve)),
    inject(bytes) {
      for (const { client } of open) client.write(bytes);
    },
    async close() {
      for (const { client, upstream } of open) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
