/** A `data$` subscriber: logs every value of the node the writer updates. */
import { map, retry, takeUntil, timer, type Subscription } from 'rxjs';
import { utf8 } from '../../../src/index.js';
import { describeError, type ParticipantContext } from './participant-context.js';

export function runWatcher(ctx: ParticipantContext): Subscription {
  return ctx.zk
    .data$(ctx.paths.data)
    .pipe(
      utf8(),
      map((text) => (text === null ? null : Number(text))),
      retry({
        delay: (error: unknown) => {
          ctx.log({ ev: 'stream-error', what: 'data$', ...describeError(error) });
          return timer(500);
        },
      }),
      takeUntil(ctx.stop$),
    )
    .subscribe((value) => ctx.log({ ev: 'value', value }));
}
