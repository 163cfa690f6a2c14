import { asyncScheduler, Observable, Subscription, timer, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { ZNode } from '../../model/stat.js';

/** A participant's vote. */
export type Vote = 'commit' | 'abort';

/** Why a transaction was decided as it was. */
export type DecisionReason =
  /** Every participant voted commit. */
  | 'unanimous'
  /** A participant voted abort. */
  | 'vote-abort'
  /** Not every participant voted in time (a crashed participant counts as abort). */
  | 'timeout'
  /** The coordinator gave up (it was unsubscribed before a decision). */
  | 'cancelled';

/** A two-phase commit decision. */
export interface TwoPhaseOutcome {
  readonly decision: 'commit' | 'abort';
  readonly reason: DecisionReason;
}

/**
 * The two-phase commit rule: abort as soon as any participant voted abort, commit once every
 * participant voted commit, otherwise not decided yet (`null`). Votes of others are ignored.
 */
export function tallyVotes(participants: readonly string[], votes: ReadonlyMap<string, Vote>): TwoPhaseOutcome | null {
  if (participants.some((id) => votes.get(id) === 'abort')) return { decision: 'abort', reason: 'vote-abort' };
  if (participants.every((id) => votes.get(id) === 'commit')) return { decision: 'commit', reason: 'unanimous' };
  return null;
}

/**
 * Reads vote nodes (keyed by participant id, as `childrenData` gives them): `commit` is a commit
 * vote; anything else, including a malformed node, counts as abort (the safe side).
 */
export function decodeVotes(nodes: ReadonlyMap<string, ZNode>): Map<string, Vote> {
  const votes = new Map<string, Vote>();
  for (const [id, node] of nodes) votes.set(id, decodeVote(node));
  return votes;
}

/** Reads one vote node, as {@link decodeVotes} does. */
export function decodeVote(node: ZNode): Vote {
  return node.data.toString('utf8').trim() === 'commit' ? 'commit' : 'abort';
}

/**
 * The decision of a two-phase commit as an operator over successive vote maps: emits the outcome
 * once, as soon as {@link tallyVotes} decides or, if it has not within `timeoutMs` of subscribing,
 * abort for `timeout`; then completes. If the votes complete first, it completes undecided.
 *
 * ## Example
 * ```ts
 * import { childrenData, decodeVotes, twoPhaseDecision } from 'rxzk';
 * import { map } from 'rxjs';
 * childrenData(zk, `${txPath}/votes`)
 *   .pipe(map(decodeVotes), twoPhaseDecision(['db', 'mail'], 10_000))
 *   .subscribe(({ decision, reason }) => console.log(decision, reason));
 * // Logs: commit unanimous
 * ```
 *
 * @param scheduler Times the timeout (inject a virtual one in tests).
 */
export function twoPhaseDecision(
  participants: readonly string[],
  timeoutMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<ReadonlyMap<string, Vote>, TwoPhaseOutcome> {
  return (votes) =>
    new Observable<TwoPhaseOutcome>((subscriber) => {
      const subscription = new Subscription();
      const decide = (outcome: TwoPhaseOutcome) => {
        subscriber.next(outcome);
        subscriber.complete();
      };
      subscription.add(timer(timeoutMs, scheduler).subscribe(() => decide({ decision: 'abort', reason: 'timeout' })));
      subscription.add(
        votes.subscribe({
          next: (current) => {
            const outcome = tallyVotes(participants, current);
            if (outcome) decide(outcome);
          },
          error: (err: unknown) => subscriber.error(err),
          complete: () => subscriber.complete(),
        }),
      );
      return subscription;
    });
}
