import type { RawClient, RawException } from '../../src/wire/nzc/raw-client.js';
import { OPEN_ACL_UNSAFE } from '../../src/model/acl.js';
import { toRawACL } from '../../src/wire/nzc/raw-client.js';
import type { SessionCredentials } from '../../src/session/session-credentials.js';
import { rawCall, type RawConnectOptions } from '../../test/helpers/raw.js';

/**
 * Settings shared by every client of the bench, rxzk and raw alike, so that neither side gets a
 * cheaper connection: the same session timeout (so the same ping interval) and the same
 * reconnect delay (rxzk's default `reconnectDelayMs` is the raw client's `spinDelay`).
 */
export const SESSION_TIMEOUT_MS = 30_000;
export const RECONNECT_DELAY_MS = 200;

/** How every raw client of the bench connects (`connectRaw` from the shared raw helper). */
export const RAW_CLIENT_SETTINGS: RawConnectOptions = {
  sessionTimeoutMs: SESSION_TIMEOUT_MS,
  reconnectDelayMs: RECONNECT_DELAY_MS,
  connectTimeoutMs: 15_000,
};

export const OPEN_ACL = toRawACL(OPEN_ACL_UNSAFE);

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
