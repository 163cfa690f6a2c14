import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WireSession } from '../../../src/wire/wire-session.js';
import { stat } from '../../helpers/nodes.js';
import { replyFrame, writeStat } from '../../helpers/wire-frames.js';

const STAT = stat(1, 2, { ctime: 1, mtime: 2 });

/**
 * A stand-in server that completes the handshake, then reads nothing until `resume()`: the
 * client's socket buffer fills. Afterwards it answers every setData with a stat.
 */
async function stallingServer(): Promise<{ address: string; resume: () => void; received: () => number }> {
  let client: Socket | undefined;
  let pending = Buffer.alloc(0);
  let handshake = false;
  let received = 0;
  const server = createServer((socket) => {
    client = socket;
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(0, 4 + pending.readInt32BE(0));
        pending = pending.subarray(frame.length);
        if (!handshake) {
          handshake = true;
          const w = Buffer.alloc(4 + 4 + 4 + 8 + 4 + 16 + 1);
          w.writeInt32BE(w.length - 4, 0);
          w.writeInt32BE(0, 4);
          w.writeInt32BE(30_000, 8);
          w.writeBigInt64BE(0x42n, 12);
          w.writeInt32BE(16, 20);
          socket.write(w);
          socket.pause();
          continue;
        }
        received++;
        socket.write(replyFrame(frame.readInt32BE(4), BigInt(received), 0, (out) => writeStat(out, STAT)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  onTestFinished(() => {
    client?.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  return {
    address: `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    resume: () => client?.resume(),
    received: () => received,
  };
}

describe('WireSession writes', () => {
  it('stop while the socket asks to wait, and go on when it drains, losing nothing and keeping order', async () => {
    const server = await stallingServer();
    const s = new WireSession(server.address, { serverVersion: '3.8.0', sessionTimeoutMs: 30_000 });
    onTestFinished(() => s.destroy());
    const connected = once(s, 'connected');
    s.start();
    await connected;

    const socket = (s as unknown as { connection: { socket: Socket } }).connection.socket;
    const log: string[] = [];
    const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
    socket.write = ((chunk: Buffer) => {
      const accepted = write(chunk);
      log.push(accepted ? 'write' : 'full');
      return accepted;
    }) as typeof socket.write;
    socket.on('drain', () => log.push('drain'));

    const data = Buffer.alloc(64 * 1024, 1);
    const order: number[] = [];
    const total = 400;
    const done = new Promise<void>((resolve, reject) => {
      let completed = 0;
      const next = (turn: number) => {
        // 20 per turn, over 20 turns: some turns find the socket full.
        for (let i = 0; i < 20; i++) {
          const k = turn * 20 + i;
          s.setData('/n', data, -1, (error) => {
            if (error) return reject(error);
            order.push(k);
            if (++completed === total) resolve();
          });
        }
        if (turn < total / 20 - 1) setImmediate(() => next(turn + 1));
        else setImmediate(() => server.resume());
      };
      next(0);
    });
    await done;

    expect(order).toEqual(Array.from({ length: total }, (_, k) => k));
    expect(server.received()).toBe(total);
    expect(log).toContain('full');
    // Nothing is written between "full" and the next "drain".
    for (let i = 0; i < log.length; i++) {
      if (log[i] !== 'full') continue;
      const drainAt = log.indexOf('drain', i + 1);
      expect(drainAt, `a drain after the write ${i} that found the socket full`).toBeGreaterThan(i);
      expect(log.slice(i + 1, drainAt)).toEqual([]);
    }
  });
});
