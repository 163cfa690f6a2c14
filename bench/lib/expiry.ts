import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Arrival } from './arrival.js';
import type { BenchContext } from './context.js';
import { payload } from './payload.js';
import type { Sample } from './scenario.js';

/**
 * Session timeout of the clients whose sessions the expiry scenarios end (both contenders). Short,
 * so that rxzk's liveness check (2/3 of it) gets out of a zombie connection quickly; see
 * {@link timedExpiries}.
 */
export const EXPIRY_SESSION_TIMEOUT_MS = 6_000;

/** How a contender's session is expired, and what to do if the expiry left a zombie connection. */
export interface ExpiringSide {
  /** Ends the current session on the server (expireSession). */
  expire(): Promise<void>;
  /** The current session's id, hex. */
  sessionHex(): string;
  /**
   * Gets the contender off a zombie connection. The raw client has no read timeout and would sit
   * on it forever, so the bench cuts its socket; rxzk's own liveness check cuts it (nothing to do).
   */
  unstick(): void;
}

const MAX_DISCARDED = 3;
const ZOMBIE_CHECK_AFTER_MS = 100;

/**
 * `count` times: expire the session, set `path` to a new counter value right after, and time until
 * `arrival` sees it (the contender noticed, started a new session, read afresh).
 *
 * expireSession attaches to the session from a second connection and closes it. When the client
 * re-attaches in between (it reconnects at once when the server hands its session over), ZooKeeper
 * can close the session and leave the client's re-attached connection open but dead: it answers
 * nothing, not even pings. Such a rep measures the harness, not the client, so it is detected
 * (`cons` still lists the closed session), discarded, and repeated, for both contenders alike.
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
    if (await zombie) {
      seen.catch(() => undefined);
      if (++discarded > MAX_DISCARDED) throw new Error(`expireSession left a zombie connection ${discarded} times in a row`);
      ctx.progress(`expireSession left a zombie connection on 0x${session}; rep discarded`);
      side.unstick();
      await seen;
      continue;
    }
    latenciesMs.push((await seen) - t0);
  }
  return { latenciesMs, ops: count, elapsedMs: latenciesMs.reduce((a, b) => a + b, 0), figures: { discarded } };
}
