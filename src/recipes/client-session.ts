/**
 * What the recipes ask the client about its session, in one place.
 *
 * A participant acts for the session the participation shell hands it when that session becomes
 * live (see `participation`), and never asks which session that is. What cannot be handed in is
 * asked here: which session is current now (a promise that outlived its live run must not act on
 * a newer session), and whether the client is closing.
 */
import { isClosing as clientIsClosing } from '../client/internal.js';
import type { ZkClient } from '../client/zk-client.js';
import { SessionExpiredError } from '../errors/zk-error.js';

/** The client's current session id, `null` while there is none. */
export function currentSession(zk: ZkClient): string | null {
  return zk.sessionId;
}

/** Whether `session` is still the client's current session. */
export function isCurrentSession(zk: ZkClient, session: string): boolean {
  return zk.sessionId === session;
}

/**
 * Whether the client is closing: its session is about to end, and with it every ephemeral node,
 * so recipes make none again.
 */
export function isClosing(zk: ZkClient): boolean {
  return clientIsClosing(zk);
}

/**
 * The current session's id, waiting (up to a session timeout) for one if there is none yet: for
 * what is done outside a participation (an offer, a proposal).
 *
 * @throws SessionExpiredError naming `what` if the session was lost again before it could be used.
 */
export async function liveSession(zk: ZkClient, what: string, path: string): Promise<string> {
  if (currentSession(zk) === null) await zk.ready({ timeoutMs: zk.sessionTimeoutMs });
  const session = currentSession(zk);
  if (session === null) throw new SessionExpiredError(`${what}: no live session`, { path });
  return session;
}
