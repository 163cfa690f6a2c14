import type { RawClient } from '../../src/wire/nzc/raw-client.js';
import { expireSession } from '../../src/testing/index.js';
import type { BenchContext } from './context.js';
import type { ExpiringSide } from './expiry.js';
import { rawCredentials, rawSessionHex } from './raw.js';

/**
 * What an application has to do by hand with the raw client to live through session expiry: a
 * client whose session expired cannot be revived, so on `expired` it makes a new client and
 * starts its watches again. `start` arms the watches on a client and returns how to stop them.
 */
export interface RawSessions {
  /** The client of the current session. */
  readonly current: RawClient;
  /** Closes the current client and starts over with a new one. */
  replace(): Promise<void>;
  close(): Promise<void>;
}

export async function followRawSessions(
  ctx: BenchContext,
  sessionTimeoutMs: number,
  start: (client: RawClient) => () => void,
): Promise<RawSessions> {
  let current = await ctx.rawClient(sessionTimeoutMs);
  let stop: () => void = () => {};
  let closed = false;
  const follow = (client: RawClient) => {
    stop = start(client);
    client.once('expired', () => {
      stop();
      void ctx.closeRaw(client);
      if (closed || current !== client) return;
      ctx
        .rawClient(sessionTimeoutMs)
        .then((fresh) => {
          if (closed || current !== client) return ctx.closeRaw(fresh);
          current = fresh;
          follow(fresh);
        })
        .catch((error: Error) => console.error(`raw reconnect after expiry: ${error.message}`));
    });
  };
  follow(current);
  return {
    get current() {
      return current;
    },
    async replace() {
      const old = current;
      stop();
      old.removeAllListeners('expired');
      current = await ctx.rawClient(sessionTimeoutMs);
      follow(current);
      await ctx.closeRaw(old);
    },
    async close() {
      closed = true;
      stop();
      await ctx.closeRaw(current);
    },
  };
}

/** How the expiry scenarios end a raw contender's session, and cut it off a zombie connection. */
export function rawExpiringSide(ctx: BenchContext, sessions: RawSessions): ExpiringSide {
  return {
    expire: () => expireSession(rawCredentials(ctx, sessions.current)),
    sessionHex: () => rawSessionHex(sessions.current),
    replace: () => sessions.replace(),
  };
}
