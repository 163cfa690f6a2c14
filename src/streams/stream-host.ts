import type { Observable } from 'rxjs';
import type { ConnectionState } from '../client/connection-state.js';
import type { RawClient, RawException } from '../client/raw-client.js';
import { AuthFailedError } from '../errors/zk-error.js';
import { RAW_ERROR } from '../client/raw-client.js';

/** What a watched stream needs from its client. */
export interface StreamHost {
  /** Hot, replays the current state. */
  readonly state$: Observable<ConnectionState>;
  /** The wire client of the live session, or `null` while there is none. */
  live(): RawClient | null;
  /** The server-side path of a caller's path (namespace applied). */
  toServerPath(path: string): string;
}

/** Errors after which a read is simply repeated once the session is live again. */
export function isTransient(error: RawException): boolean {
  return error.code === RAW_ERROR.CONNECTION_LOSS || error.code === RAW_ERROR.SESSION_EXPIRED;
}

export function authFailed(): AuthFailedError {
  return new AuthFailedError("the server rejected the client's credentials; streams cannot go on", { code: -115 });
}
