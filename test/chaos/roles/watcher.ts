/** A `data$` subscriber: logs every value of the node the writer updates. */
import { map, type Subscription } from 'rxjs';
import { utf8 } from '../../../src/index.js';
import { untilStopped, type ParticipantContext } from './participant-context.js';

export function runWatcher(ctx: ParticipantContext): Subscription {
  return ctx.zk
    .data$(ctx.paths.data)
    .pipe(
      utf8(),
      map((text) => (text === null ? null : Number(text))),
      untilStopped(ctx, 'data$'),
    )
    .subscribe((value) => ctx.log({ ev: 'value', value }));
}
