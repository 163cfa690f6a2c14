/** A service consumer: follows the live instances with `discover` and logs each list's ids. */
import type { Subscription } from 'rxjs';
import { discover } from '../../../src/index.js';
import { untilStopped, type ParticipantContext } from './participant-context.js';

export function runDiscoverer(ctx: ParticipantContext): Subscription {
  return discover(ctx.zk, ctx.paths.services)
    .pipe(untilStopped(ctx, 'discover'))
    .subscribe((instances) => ctx.log({ ev: 'discovered', ids: instances.map((i) => i.id) }));
}
