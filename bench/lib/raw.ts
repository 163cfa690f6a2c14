import { once } from 'node:events';
import { createRawClient, type RawClient, type RawException } from '../../src/wire/nzc/raw-client.js';
import { OPEN_ACL_UNSAFE } from '../../src/model/acl.js';
import { toRawACL } from '../../src/wire/nzc/raw-client.js';
import type { SessionCredentials } from '../../src/session/session-credentials.js';
import { withTimeout } from './arrival.js';

/**
 * Settings shared by every client of the bench, rxzk and raw alike, so that neither side gets a
 * cheaper connection: the same session timeout (so the same ping interval) and the same
 * reconnect delay (rxzk's default `reconnectDelayMs` is the raw client's `spinDelay`).
 */
export const SESSION_TIMEOUT_MS = 30_000;
export const RECONNECT_DELAY_MS = 200;

export const OPEN_ACL = toRawACL(OPEN_ACL_UNSAFE);

/** A raw node-zookeeper-client, connected. */
export async function connectRaw(connectString: string, sessionTimeoutMs = SESSION_TIMEOUT_MS): Promise<RawClient> {
  const client = createRawClient(connectString, {
    sessionTimeout: sessionTimeoutMs,
    spinDelay: RECONNECT_DELAY_MS,
    retries: 0,
  });
  const connected = once(client, 'connected');
  client.connect();
  try {
    await withTimeout(connected, 15_000, `raw client could not connect to ${connectString}`);
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

/** Closes a raw client and waits (briefly) until its socket is gone. */
export async function closeRaw(client: RawClient): Promise<void> {
  const state = client.getState().name;
  if (state === 'DISCONNECTED' || state === 'EXPIRED' || state === 'CLOSED') {
    client.close();
    return;
  }
  const done = once(client, 'disconnected');
  client.close();
  await withTimeout(done, 5_000, 'raw client did not close').catch(() => undefined);
}

/** One raw callback operation as a Promise (for setup, never for what is timed). */
export function rawCall<T = unknown>(start: (callback: (error: RawException | null, value?: T | null) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, value) => (error ? reject(error) : resolve(value as T)));
  });
}

/** The session id of a raw client, in the hex form rxzk and the server's `cons` use. */
export function rawSessionHex(client: RawClient): string {
  return client.getSessionId().readBigUInt64BE(0).toString(16);
}

/**
 * Creates `paths` (parents before children, in the order given) with `data`, pipelined `window`
 * requests at a time; NodeExists is fine.
 */
export async function createAll(client: RawClient, paths: readonly string[], data: Buffer, window = 512): Promise<void> {
  let next = 0;
  let failure: RawException | null = null;
  await new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    const pump = () => {
      if (failure) return reject(failure);
      if (next >= paths.length && inFlight === 0) return resolve();
      while (inFlight < window && next < paths.length) {
        const path = paths[next++]!;
        inFlight++;
        client.create(path, data, OPEN_ACL, 0, (error) => {
          inFlight--;
          if (error && error.code !== -110) failure = error;
          pump();
        });
      }
    };
    pump();
  });
}

/** Deletes a subtree, deepest first, pipelined; NoNode is fine. */
export async function deleteTree(client: RawClient, root: string): Promise<void> {
  const all: string[] = [];
  let level = [root];
  for (let depth = 0; level.length > 0 && depth < 64; depth++) {
    all.push(...level);
    const lists = await Promise.all(
      level.map((p) =>
        rawCall<string[]>((cb) => client.getChildren(p, undefined, cb)).then(
          (names) => names.map((n) => `${p}/${n}`),
          () => [] as string[],
        ),
      ),
    );
    level = lists.flat();
  }
  for (let i = all.length - 1; i >= 0; ) {
    const batch: Promise<void>[] = [];
    for (let n = 0; n < 512 && i >= 0; n++, i--) {
      const path = all[i]!;
      batch.push(rawCall((cb) => client.remove(path, -1, cb)).then(
        () => undefined,
        () => undefined,
      ));
    }
    await Promise.all(batch);
  }
}

/** What `expireSession` needs to end a raw client's session. */
export function rawCredentials(ctx: { connectString: string }, client: RawClient): SessionCredentials {
  return {
    sessionId: client.getSessionId(),
    sessionPassword: client.getSessionPassword(),
    connectString: ctx.connectString,
  };
}
