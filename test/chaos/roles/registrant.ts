/** A service instance: registers under its id for as long as it runs and logs each registration state. */
import type { Subscription } from 'rxjs';
import { register } from '../../../src/index.js';
import { untilStopped, type ParticipantContext } from './participant-context.js';

export function runRegistrant(ctx: ParticipantContext): Subscription {
  const port = 20_000 + Number(ctx.id.replace(/\D/g, '') || 0);
  return register(ctx.zk, ctx.paths.services, { id: ctx.id, host: '127.0.0.1', port, payload: { pid: process.pid, inc: ctx.inc } })
    .pipe(untilStopped(ctx, 'register'))
    .subscribe(({ state }) => ctx.log({ ev: 'registration', state }));
}
