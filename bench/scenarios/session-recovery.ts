import { Arrival } from '../lib/arrival.js';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { counterOf, payload } from '../lib/payload.js';
import { createAll } from '../lib/raw.js';
import { followRawSessions, rawExpiringSide } from '../lib/raw-sessions.js';
import { EXPIRY_SESSION_TIMEOUT_MS, rxzkExpiringSide, timedExpiries } from '../lib/expiry.js';
import { rawWatchData } from '../lib/raw-watch.js';
import { absoluteBar, DISCARDED, EVENT_METRICS, type Contender, type Scenario } from '../lib/scenario.js';

const RECOVERY_TIMEOUT_MS = 30_000;

/** Curator's figure for the same recovery on this machine (ms): rxzk should beat it. */
const CURATOR_RECOVERY_MS = 1_600;
/** kazoo's figure (ms). */
const KAZOO_RECOVERY_MS = 200;

/**
 * Recovery after a session expiry: the subscriber's session is expired on the server
 * (expireSession), a write is made right after, and the time is taken until `data$` shows it.
 */
export const sessionRecovery: Scenario = {
  id: 'session-recovery',
  title: 'Recovery after session expiry until fresh updates flow',
  notes: [
    'Timed from the moment the server has expired the session (a write is made then) until the subscriber sees that write.',
    `raw: on \`expired\`, a new client and the getData-with-watcher loop again. Reference figures on this machine: Curator ${CURATOR_RECOVERY_MS} ms, kazoo ${KAZOO_RECOVERY_MS} ms.`,
  ],
  async run(ctx) {
    const count = ctx.scale(2, 3);
    return [
      await compareCase(ctx, {
        name: 'expiry → fresh value seen',
        metrics: [...EVENT_METRICS, DISCARDED],
        bars: [absoluteBar('p50', '<=', KAZOO_RECOVERY_MS)],
        rxzk: () => rxzkSide(ctx, count),
        raw: () => rawSide(ctx, count),
      }),
    ];
  },
};

async function rxzkSide(ctx: BenchContext, count: number): Promise<Contender> {
  const path = ctx.path('recovery-rxzk');
  await createAll(ctx.writer, [path], payload(0));
  const arrival = new Arrival<number>();
  const side = await rxzkExpiringSide(ctx, (zk) => zk.data$(path).subscribe((node) => arrival.offer(counterOf(node?.data))));
  await arrival.expect((v) => v === 0, RECOVERY_TIMEOUT_MS, `${path} first value`);
  const counter = { next: 1 };
  return {
    round: () => timedExpiries(ctx, side, path, arrival, counter, count, RECOVERY_TIMEOUT_MS),
    close: () => side.close(),
  };
}

async function rawSide(ctx: BenchContext, count: number): Promise<Contender> {
  const path = ctx.path('recovery-raw');
  await createAll(ctx.writer, [path], payload(0));
  const arrival = new Arrival<number>();
  const sessions = await followRawSessions(ctx, EXPIRY_SESSION_TIMEOUT_MS, (client) =>
    rawWatchData(client, path, (data) => arrival.offer(counterOf(data)), () => {}),
  );
  await arrival.expect((v) => v === 0, RECOVERY_TIMEOUT_MS, `${path} first value`);
  const counter = { next: 1 };
  return {
    round: () => timedExpiries(ctx, rawExpiringSide(ctx, sessions), path, arrival, counter, count, RECOVERY_TIMEOUT_MS),
    close: () => sessions.close(),
  };
}
