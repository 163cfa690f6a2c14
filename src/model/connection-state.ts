/**
 * The connection's state, as `zk.state$` reports it.
 *
 * - `connecting`: no session yet (only before the first one).
 * - `connected`: a new session is established (the first, or a new one after `lost`).
 * - `suspended`: the connection dropped or went silent; the session may still be alive. Leaders
 *   and lock holders must stop acting.
 * - `reconnected`: the same session is back.
 * - `lost`: the session expired, or is presumed lost because the ensemble was out of reach for a
 *   whole session timeout. The client builds a new session by itself (next: `connected`).
 * - `auth-failed`: the server rejected the client's credentials; the client cannot go on.
 * - `closed`: after `close()`; terminal.
 */
export type ConnectionState =
  | 'connecting'
  | 'connected'
  | 'suspended'
  | 'reconnected'
  | 'lost'
  | 'auth-failed'
  | 'closed';

/** Whether the client has a usable session in this state. */
export function isLive(state: ConnectionState): boolean {
  return state === 'connected' || state === 'reconnected';
}
