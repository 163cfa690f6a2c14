/** A service consumer: follows the live instances with `discover` and logs each list's ids. */
import { retry, takeUntil, timer, type Subscription } from 'rxjs';
import { discover } from '../../../src/index.js';
import { describeError, type ParticipantContext } from './participant-context.js';

export function runDiscoverer(ctx: ParticipantContext): Subscription {
  return discover(ctx.zk, ctx.paths.services)
    .pipe(
      retry({
        delay: (error: unknown) => {
          ctx.log({ ev: 'stream-error', what: 'discover', ...describeError(error) });
          return timer(500);
        },
      }),
      takeUntil(ctx.stop$),
    )
    .subscribe((instances) => ctx.log({ ev: 'discovered', ids: instances.map((i) => i.id) }));
}
