import { createServer, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

/**
 * A TCP server on a free loopback port that accepts connections and never says a word (a member
 * that is up but does not answer). Closed, with its connections, when the test ends. Resolves with
 * its `host:port`.
 */
export async function silentServer(): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  );
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}
