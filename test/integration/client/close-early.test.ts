import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { VirtualTimeScheduler } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, fourLetter } from '../../../src/index.js';
import { startZooKeeper, type TestingZooKeeper } from '../../../src/testing/index.js';
import { eventually } from '../../helpers/zk.js';

let server: TestingZooKeeper;

beforeAll(async () => {
  server = await startZooKeeper({ source: 'local' });
});

afterAll(async () => {
  await server?.stop();
});

async function liveSessions(): Promise<number> {
  const mntr = await fourLetter(server.connectString, 'mntr');
  const line = mntr.split('\n').find((l) => l.startsWith('zk_global_sessions'));
  if (!line) throw new Error(`no zk_global_sessions in mntr:\n${mntr}`);
  return Number(line.split('\t')[1]);
}

/**
 * A proxy that passes the client's bytes to the server at once but holds the server's replies
 * until `release()`: the server has made the session, the client has not heard so yet.
 */
async function replyHoldingProxy(target: string): Promise<{ address: string; release(): void; close(): void }> {
  const [host, port] = target.split(':') as [string, string];
  const held: (() => void)[] = [];
  let holding = true;
  const sockets: Socket[] = [];
  const proxy: Server = createServer((client) => {
    const upstream = tcpConnect({ host, port: Number(port) });
    sockets.push(client, upstream);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => (holding ? held.push(() => client.write(chunk)) : client.write(chunk)));
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = proxy.address() as { port: number };
  return {
    address: `127.0.0.1:${proxyPort}`,
    release: () => {
      holding = false;
      for (const send of held.splice(0)) send();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      proxy.close();
    },
  };
}

describe('close() before the first session is up', () => {
  it('closes the session the server made for a handshake under way, instead of leaving it to expire', async () => {
    const proxy = await replyHoldingProxy(server.connectString);
    try {
      expect(await liveSessions()).toBe(0);
      const zk = connect(proxy.address, { sessionTimeoutMs: 30_000 });
      // The connect request reached the server, which made the session; its reply is held.
      await eventually(async () => (await liveSessions()) === 1, 'the server to make the session');
      expect(zk.state).toBe('connecting');
      const closing = zk.close();
      proxy.release();
      await closing;
      // Left alone, the session would live for its whole 30 s timeout.
      await eventually(async () => (await liveSessions()) === 0, 'no live session on the server', 5_000);
    } finally {
      proxy.close();
    }
  });

  it('does not wait when no handshake is under way (nothing listens)', async () => {
    // On a virtual clock that never moves, any wait for the grace period would never end.
    const zk = connect('127.0.0.1:1', { scheduler: new VirtualTimeScheduler() });
    await zk.close();
    expect(zk.state).toBe('closed');
  });
});
