/**
 * The writer: sets the data node to 1, 2, 3... one write at a time, every 100 ms, and logs each
 * outcome. A write whose answer never came may or may not have landed; the next one is higher
 * anyway, so the node's values only climb.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { NoNodeError } from '../../../src/index.js';
import { describeError, type ParticipantContext } from './participant-context.js';

/** Writes until stopped; resolves when the last write is answered. */
export async function runWriter(ctx: ParticipantContext): Promise<void> {
  for (let value = 1; !ctx.stopping(); value++) {
    try {
      await ctx.zk.set(ctx.paths.data, String(value));
      ctx.log({ ev: 'data-write', value, outcome: 'ok' });
    } catch (error) {
      const { name, message } = describeError(error);
      ctx.log({ ev: 'data-write', value, outcome: error instanceof NoNodeError ? 'failed' : 'unknown', error: `${name}: ${message}` });
    }
    await sleep(100);
  }
}
