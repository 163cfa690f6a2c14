import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on `host`. The port is released before it is returned,
 * so another process may take it first: callers retry on "address in use".
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** `count` distinct free ports. */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  for (let attempt = 0; ports.size < count && attempt < count * 20; attempt++) {
    ports.add(await freePort(host));
  }
  if (ports.size < count) throw new Error(`could not find ${count} free ports on ${host}`);
  return [...ports];
}
