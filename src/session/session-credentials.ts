/**
 * The key under which a client exposes its current session's id and password to `rxzk/testing`
 * (`expireSession`). A registered symbol, so a test that loads the library twice (sources and
 * build) still finds it.
 */
export const SESSION_CREDENTIALS: unique symbol = Symbol.for('rxzk.sessionCredentials') as never;

/** What it takes to attach to a session from another connection. */
export interface SessionCredentials {
  /** 8 bytes. */
  readonly sessionId: Buffer;
  /** 16 bytes. */
  readonly sessionPassword: Buffer;
  /** Where the session's servers are (`host:port,...`). */
  readonly connectString: string;
  /**
   * Cuts the client's connection if it is up on this session, as a network blip would, so that it
   * reconnects and hears the session's fate from the server.
   */
  readonly dropConnection?: () => void;
}
