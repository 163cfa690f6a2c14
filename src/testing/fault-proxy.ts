import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { parseAddress, serversOf } from '../admin/connect-string.js';

/** What the proxy does with traffic. */
export type FaultProxyMode = 'pass' | 'refuse' | 'blackhole';

/** Request kinds whose replies {@link FaultProxy.loseNextReply} can swallow. */
export type ProxiedRequest = 'create' | 'delete' | 'setData' | 'getData' | 'exists' | 'getChildren' | 'multi';

const OPCODES: Record<ProxiedRequest, readonly number[]> = {
  // create, create2, createContainer, createTTL
  create: [1, 15, 19, 21],
  delete: [2],
  exists: [3],
  getData: [4],
  setData: [5],
  getChildren: [8, 12],
  multi: [14],
};

/** A TCP proxy in front of one or more ZooKeeper servers that can fail on command. */
export interface FaultProxy {
  /** `host:port` of the proxy: connect clients here. */
  readonly connectString: string;
  /** The current mode. */
  readonly mode: FaultProxyMode;
  /** Client connections currently open through the proxy. */
  readonly connections: number;
  /** Cuts every connection and refuses new ones (the servers look down). */
  refuse(): Promise<void>;
  /** Another name for {@link refuse}, doing exactly the same: cuts every connection and refuses new ones. */
  drop(): Promise<void>;
  /**
   * Keeps every socket open but drops every byte both ways, and accepts new connections that go
   * nowhere (a silent partition). Nothing is delivered late: when the proxy is restored, the
   * connections that were blackholed are cut, because their byte streams now have gaps.
   */
  blackhole(): Promise<void>;
  /** Passes traffic again. */
  restore(): Promise<void>;
  /**
   * Lets the next request of this kind reach the server, then swallows the server's reply and
   * cuts that connection: the request took effect, but the client never hears so. Resolves once
   * the reply has been swallowed; rejects if it is armed again, or the proxy closed, first.
   */
  loseNextReply(request: ProxiedRequest): Promise<void>;
  /** Closes the proxy and every connection through it. */
  close(): Promise<void>;
}

/** Reassembles ZooKeeper's length-prefixed frames from a TCP byte stream. */
class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (this.pending.length < size + 4) break;
      frames.push(this.pending.subarray(0, size + 4));
      this.pending = this.pending.subarray(size + 4);
    }
    return frames;
  }
}

interface Armed {
  opcodes: readonly number[];
  resolve: () => void;
  reject: (error: Error) => void;
}

class ProxiedConnection {
  upstream: Socket | undefined;
  blackholed = false;
  private readonly fromClient = new FrameSplitter();
  private readonly fromServer = new FrameSplitter();
  private handshakeSent = false;
  private handshakeReceived = false;
  /** xid of a request whose reply must be swallowed, and who to tell. */
  private doomed: { xid: number; resolve: () => void } | undefined;

  constructor(
    readonly client: Socket,
    private readonly proxy: { armed: Armed | undefined; mode: FaultProxyMode },
  ) {}

  onClientData(chunk: Buffer): void {
    if (this.proxy.mode === 'blackhole' || this.blackholed || !this.upstream) return;
    for (const frame of this.fromClient.push(chunk)) {
      if (!this.handshakeSent) {
        this.handshakeSent = true;
      } else if (frame.length >= 12) {
        const xid = frame.readInt32BE(4);
        const opcode = frame.readInt32BE(8);
        const armed = this.proxy.armed;
        if (armed && armed.opcodes.includes(opcode)) {
          this.proxy.armed = undefined;
          this.doomed = { xid, resolve: armed.resolve };
        }
      }
      this.upstream.write(frame);
    }
  }

  onServerData(chunk: Buffer): void {
    if (this.proxy.mode === 'blackhole' || this.blackholed) return;
    for (const frame of this.fromServer.push(chunk)) {
      if (!this.handshakeReceived) {
        this.handshakeReceived = true;
      } else if (this.doomed && frame.length >= 8 && frame.readInt32BE(4) === this.doomed.xid) {
        const { resolve } = this.doomed;
        this.doomed = undefined;
        this.destroy();
        resolve();
        return;
      }
      this.client.write(frame);
    }
  }

  destroy(): void {
    this.client.resetAndDestroy();
    this.upstream?.destroy();
  }
}

/**
 * Starts a TCP proxy on a free loopback port in front of `targets` (`host:port`, or several, as an
 * array or a connect string whose namespace suffix is ignored; each new connection goes to the
 * next target that accepts it, in turn).
 *
 * ## Example
 * ```ts
 * import { connect } from 'rxzk';
 * import { faultProxy, startZooKeeper } from 'rxzk/testing';
 * const server = await startZooKeeper();
 * const proxy = await faultProxy(server.connectString);
 * const zk = connect(proxy.connectString, { sessionTimeoutMs: 2000 });
 * zk.state$.subscribe((s) => console.log(s));
 * await zk.ready();
 * await proxy.blackhole();
 * // Logs: connecting, connected, suspended, lost, ...
 * ```
 */
export async function faultProxy(targets: string | readonly string[]): Promise<FaultProxy> {
  const upstreams = (typeof targets === 'string' ? serversOf(targets) : targets.map((t) => t.trim()).filter(Boolean)).map(
    parseAddress,
  );
  if (upstreams.length === 0) throw new TypeError('faultProxy needs at least one target host:port');

  const state: { armed: Armed | undefined; mode: FaultProxyMode } = { armed: undefined, mode: 'pass' };
  const open = new Set<ProxiedConnection>();
  let next = 0;
  let closed = false;

  const connectUpstream = (conn: ProxiedConnection, attempt = 0): void => {
    const target = upstreams[(next + attempt) % upstreams.length]!;
    const upstream = tcpConnect(target);
    upstream.setNoDelay(true);
    upstream.once('connect', () => {
      next = (next + attempt + 1) % upstreams.length;
      conn.upstream = upstream;
      upstream.on('data', (chunk: Buffer) => conn.onServerData(chunk));
      conn.client.resume();
    });
    upstream.once('error', () => {
      if (!conn.upstream && attempt + 1 < upstreams.length && !conn.client.destroyed) {
        connectUpstream(conn, attempt + 1);
      } else {
        conn.client.destroy();
      }
    });
    upstream.once('close', () => {
      if (conn.upstream === upstream) conn.client.destroy();
    });
  };

  const onConnection = (client: Socket): void => {
    client.setNoDelay(true);
    const conn = new ProxiedConnection(client, state);
    open.add(conn);
    client.on('error', () => conn.destroy());
    client.on('close', () => {
      open.delete(conn);
      conn.upstream?.destroy();
    });
    client.on('data', (chunk: Buffer) => conn.onClientData(chunk));
    if (state.mode === 'blackhole') {
      conn.blackholed = true;
      return;
    }
    client.pause();
    connectUpstream(conn);
  };

  const server: Server = createServer(onConnection);
  await listen(server, 0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let listening = true;

  const setListening = async (want: boolean) => {
    if (want === listening || closed) return;
    listening = want;
    if (want) await listen(server, port);
    else await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  const cutAll = () => {
    for (const conn of open) conn.destroy();
    open.clear();
  };

  const proxy: FaultProxy = {
    connectString: `127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    get connections() {
      return open.size;
    },
    async refuse() {
      state.mode = 'refuse';
      cutAll();
      await setListening(false);
    },
    drop() {
      return proxy.refuse();
    },
    async blackhole() {
      state.mode = 'blackhole';
      for (const conn of open) conn.blackholed = true;
      await setListening(true);
    },
    async restore() {
      if (state.mode === 'blackhole') {
        for (const conn of [...open]) {
          if (conn.blackholed) {
            conn.destroy();
            open.delete(conn);
          }
        }
      }
      state.mode = 'pass';
      await setListening(true);
    },
    loseNextReply(request) {
      const opcodes = OPCODES[request];
      state.armed?.reject(new Error(`loseNextReply('${request}'): armed again before a reply was lost`));
      return new Promise<void>((resolve, reject) => {
        state.armed = { opcodes, resolve, reject };
      });
    },
    async close() {
      if (closed) return;
      state.armed?.reject(new Error('loseNextReply: the proxy was closed before a reply was lost'));
      state.armed = undefined;
      cutAll();
      await setListening(false);
      closed = true;
    },
  };
  return proxy;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
