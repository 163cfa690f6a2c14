import { sessionCredentials } from '../../src/client/internal.js';
import { createRawClient } from '../../src/wire/nzc/raw-client.js';
import type { ZkClient } from '../../src/index.js';

/**
 * Keeps `zk`'s current session alive on the server from a connection of its own (pinging on it),
 * as the server would hold a session whose client is cut off but whose expiry clock keeps being
 * restarted (an ensemble's leader elections do that). Attaching makes the server drop `zk`'s own
 * connection: cut `zk` off first (through a proxy) so that it cannot take the session back.
 *
 * `close()` ends the session.
 */
export async function holdSession(zk: ZkClient, connectString: string): Promise<{ alive(): boolean; close(): Promise<void> }> {
  const credentials = sessionCredentials(zk);
  if (!credentials) throw new Error('holdSession: the client has no session');
  const raw = createRawClient(connectString, {
    sessionTimeout: zk.sessionTimeoutMs,
    spinDelay: 100,
    retries: 0,
    sessionId: credentials.sessionId,
    sessionPassword: credentials.sessionPassword,
  });
  let expired = false;
  raw.on('expired', () => (expired = true));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('holdSession: could not attach within 10 s')), 10_000);
    raw.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    raw.connect();
  });
  if (expired) throw new Error('holdSession: the session had already expired');
  return {
    alive: () => !expired && raw.getState().name === 'SYNC_CONNECTED',
    close: () =>
      new Promise<void>((resolve) => {
        raw.once('disconnected', () => resolve());
        raw.close();
        setTimeout(resolve, 2_000).unref();
      }),
  };
}
