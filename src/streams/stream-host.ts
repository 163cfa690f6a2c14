import type { Observable, Subscriber } from 'rxjs';
import { AuthFailedError } from '../errors/zk-error.js';
import type { ConnectionState } from '../model/connection-state.js';
import { ErrorCode } from '../wire/error-codes.js';
import type { Watcher, WireClient, WireFailure } from '../wire/wire-client.js';

/** The requests a watched stream makes: reads that arm watches. */
export type StreamWire = Pick<WireClient, 'exists' | 'getData' | 'getChildren'>;

/** What a watched stream needs from its client. */
export interface StreamHost {
  /** Hot, replays the current state. */
  readonly state$: Observable<ConnectionState>;
  /** The wire client of the live session, or `null` while there is none. */
  live(): StreamWire | null;
  /** The server-side path of a caller's path (namespace applied). */
  toServerPath(path: string): string;
  /**
   * Takes a watcher function of a stream that has ended (or no longer needs that watch) off the
   * wire client, so that neither it nor what it holds outlives the stream.
   */
  unwatch(serverPath: string, watcher: Watcher): void;
}

/** Errors after which a read is simply repeated once the session is live again. */
export function isLostWithTheConnection(error: WireFailure): boolean {
  return (
    error.code === ErrorCode.connectionLoss ||
    error.code === ErrorCode.sessionExpired ||
    // The server no longer knows the session (answered for a session that just ended).
    error.code === ErrorCode.unknownSession
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
