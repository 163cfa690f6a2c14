/** A leadership candidate: stands for the whole run and logs every view of the election it gets. */
import type { Subscription } from 'rxjs';
import { leadership } from '../../../src/index.js';
import { untilStopped, type ParticipantContext } from './participant-context.js';

export function runCandidate(ctx: ParticipantContext): Subscription {
  return leadership(ctx.zk, ctx.paths.election, { id: ctx.id })
    .pipe(untilStopped(ctx, 'leadership'))
    .subscribe(({ isLeader, leaderId, candidates }) => ctx.log({ ev: 'leadership', isLeader, leaderId, candidates: [...candidates] }));
}
