import { sessionCredentials } from '../../src/client/internal.js';
import type { ZkClient } from '../../src/index.js';
import { closeRaw, connectRaw } from './raw.js';

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
  // A session that has already expired is never attached to: the connect times out.
  const raw = await connectRaw(connectString, {
    sessionTimeoutMs: zk.sessionTimeoutMs,
    sessionId: credentials.sessionId,
    sessionPassword: credentials.sessionPassword,
  }).catch((error: Error) => {
    throw new Error(`holdSession: could not attach to session 0x${zk.sessionId}: ${error.message}`);
  });
  let expired = false;
  raw.on('expired', () => (expired = true));
  return {
    alive: () => !expired && raw.getState().name === 'SYNC_CONNECTED',
    close: () => closeRaw(raw),
  };
}
