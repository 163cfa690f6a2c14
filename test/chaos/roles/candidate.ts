/** A leadership candidate: stands for the whole run and logs every view of the election it gets. */
import { retry, takeUntil, timer, type Subscription } from 'rxjs';
import { leadership } from '../../../src/index.js';
import { describeError, type ParticipantContext } from './participant-context.js';

export function runCandidate(ctx: ParticipantContext): Subscription {
  return leadership(ctx.zk, ctx.paths.election, { id: ctx.id })
    .pipe(
      retry({
        delay: (error: unknown) => {
          ctx.log({ ev: 'stream-error', what: 'leadership', ...describeError(error) });
          return timer(500);
        },
      }),
      takeUntil(ctx.stop$),
    )
    .subscribe(({ isLeader, leaderId, candidates }) => ctx.log({ ev: 'leadership', isLeader, leaderId, candidates: [...candidates] }));
}
