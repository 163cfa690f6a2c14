import { performance } from 'node:perf_hooks';
import type { RawClient } from '../../src/wire/nzc/raw-client.js';
import type { Arrival } from './arrival.js';
import { rawCall } from '../../test/helpers/raw.js';
import { payload } from './payload.js';
import type { Sample } from './scenario.js';

/** How long any single awaited change may take before the round fails. */
export const CHANGE_TIMEOUT_MS = 10_000;

/**
 * `count` sequential changes: the writer sets `path` to the next counter value, and the round
 * waits until the contender's subscriber has offered that value to `arrival`. Latency is from the
 * write request to the arrival; throughput is changes per second.
 *
 * @param next The first counter value to write; counters must grow across rounds.
 */
export async function timedSets(
  writer: RawClient,
  path: string,
  arrival: Arrival<number>,
  next: number,
  count: number,
): Promise<Sample> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const counter = next + i;
    const t0 = performance.now();
    writer.setData(path, payload(counter), -1, (error) => {
      if (error) console.error(`set ${path}: ${error.message}`);
    });
    const seenAt = await arrival.expect((seen) => seen >= counter, CHANGE_TIMEOUT_MS, `${path} = ${counter}`);
    latenciesMs.push(seenAt - t0);
  }
  const elapsedMs = performance.now() - started;
  // Let the writer's last reply land, so it does not fall into the next round.
  await rawCall((cb) => writer.exists(path, undefined, cb));
  return { latenciesMs, ops: count, elapsedMs };
}
