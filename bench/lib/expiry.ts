import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Subscription } from 'rxjs';
import type { ZkClient } from '../../src/index.js';
import { expireSession } from '../../src/testing/index.js';
import type { Arrival } from './arrival.js';
import type { BenchContext } from './context.js';
import { payload } from './payload.js';
import type { Sample } from './scenario.js';

/** Session timeout of the clients whose sessions the expiry scenarios end (both contenders). */
export const EXPIRY_SESSION_TIMEOUT_MS = 6_000;

/** How a contender's session is expired, and how it starts over if the expiry went wrong. */
export interface ExpiringSide {
  /** Ends the current session on the server (expireSession). */
  expire(): Promise<void>;
  /** The current session's id, hex. */
  sessionHex(): string;
  /** Closes the contender's client and opens a new one with the same watches. */
  replace(): Promise<void>;
}

/**
 * The rxzk contender of an expiry scenario: a client whose streams `watch` subscribes (resolving
 * once they are in place), its session ended with expireSession; `replace` closes the client and
 * opens a new one with the same streams. (The raw contender's counterpart: `rawExpiringSide`.)
 */
export async function rxzkExpiringSide(
  ctx: BenchContext,
  watch: (zk: ZkClient) => Subscription | Promise<Subscription>,
): Promise<ExpiringSide & { close(): Promise<void> }> {
  let zk: ZkClient | null = null;
  let subscription: Subscription | null = null;
  const open = async () => {
    zk = await ctx.client({ sessionTimeoutMs: EXPIRY_SESSION_TIMEOUT_MS });
    subscription = await watch(zk);
  };
  const close = async () => {
    subscription?.unsubscribe();
    if (zk) await ctx.closeClient(zk);
  };
  await open();
  return {
    expire: () => expireSession(zk!),
    sessionHex: () => zk?.sessionId ?? '',
    async replace() {
      await close();
      await open();
    },
    close,
  };
}

const MAX_DISCARDED_IN_A_ROW = 3;
const ZOMBIE_CHECK_AFTER_MS = 100;

/**
 * `count` times: expire the session, set `path` to a new counter value right after, and time until
 * `arrival` sees it (the contender noticed, started a new session, read afresh).
 *
 * expireSession attaches to the session from a second connection and closes it. When the client
 * re-attaches in between (it reconnects at once when the server hands its session over), ZooKeeper
 * can close the session and leave the client's re-attached connection open: standalone, it then
 * answers nothing (rxzk's liveness check gets out of it after 2/3 of the session timeout, the raw
 * client never does); in an ensemble, a follower may go on serving reads on it, so neither client
 * ever learns that its session is gone. Such a rep measures the harness, not the client: it is
 * detected (`cons` still lists the closed session), discarded, and the contender replaced by a
 * fresh client before the next rep, for both contenders alike.
 */
export async function timedExpiries(
  ctx: BenchContext,
  side: ExpiringSide,
  path: string,
  arrival: Arrival<number>,
  counter: { next: number },
  count: number,
  timeoutMs: number,
): Promise<Sample> {
  const latenciesMs: number[] = [];
  let discarded = 0;
  let inARow = 0;
  while (latenciesMs.length < count) {
    const value = counter.next++;
    const session = side.sessionHex();
    await side.expire();
    const t0 = performance.now();
    ctx.writer.setData(path, payload(value), -1, (error) => {
      if (error) console.error(`set ${path}: ${error.message}`);
    });
    const zombie = sleep(ZOMBIE_CHECK_AFTER_MS).then(() => ctx.hasConnection(session));
    const seen = arrival.expect((v) => v >= value, timeoutMs, `${path} = ${value} after the session expired`);
    seen.catch(() => undefined);
    if (await zombie) {
      discarded++;
      if (++inARow > MAX_DISCARDED_IN_A_ROW) throw new Error(`expireSession left a zombie connection ${inARow} times in a row`);
      ctx.progress(`expireSession left a zombie connection on 0x${session}; rep discarded, client replaced`);
      arrival.cancel('rep discarded');
      await side.replace();
      await arrival.expect((v) => v >= value, timeoutMs, `${path} = ${value} on a replaced client`);
      continue;
    }
    inARow = 0;
    latenciesMs.push((await seen) - t0);
  }
  return { latenciesMs, ops: count, elapsedMs: latenciesMs.reduce((a, b) => a + b, 0), figures: { discarded } };
}
