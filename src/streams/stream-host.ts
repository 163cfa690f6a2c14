import type { Observable, Subscriber } from 'rxjs';
import type { ConnectionState } from '../model/connection-state.js';
import type { RawClient, RawException, RawWatcher } from '../client/raw-client.js';
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
  /**
   * Takes a watcher function of a stream that has ended (or no longer needs that watch) off the
   * wire client, so that neither it nor what it holds outlives the stream.
   */
  unwatch(serverPath: string, watcher: RawWatcher): void;
}

/** Errors after which a read is simply repeated once the session is live again. */
export function isLostWithTheConnection(error: RawException): boolean {
  return (
    error.code === RAW_ERROR.CONNECTION_LOSS ||
    error.code === RAW_ERROR.SESSION_EXPIRED ||
    error.code === RAW_ERROR.UNKNOWN_SESSION
  );
}

function authFailed(): AuthFailedError {
  return new AuthFailedError("the server rejected the client's credentials; streams cannot go on", { code: -115 });
}

/**
 * Ends a stream the way every watched stream ends with its client: it completes on `closed` and
 * errors with {@link AuthFailedError} on `auth-failed`. Returns whether it ended it.
 */
export function endsWithClient(state: ConnectionState, subscriber: Subscriber<unknown>): boolean {
  if (state === 'closed') {
    subscriber.complete();
    return true;
  }
  if (state === 'auth-failed') {
    subscriber.error(authFailed());
    return true;
  }
  return false;
}
