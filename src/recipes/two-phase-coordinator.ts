/** The coordinator's side of a two-phase commit: steps 1, 3 and 4 of `two-phase-commit.ts`. */
import { defer, from, map, merge, race, share, switchMap, take, takeWhile, type Observable } from 'rxjs';
import { baseName } from '../paths/paths.js';
import { liveSession } from './client-session.js';
import { createIfAbsent } from './node-idioms.js';
import { twoPhaseDecision, type Vote } from './operators/two-phase-decision.js';
import { participate, type Participation } from './participation.js';
import { createProtected } from './protected-create.js';
import { encodeProposal } from './two-phase-codec.js';
import type { TwoPhaseRecords } from './two-phase-records.js';
import type { CoordinatorState } from './two-phase-types.js';

/** A proposal, as checked. */
export interface CoordinatorPlan {
  readonly participants: readonly string[];
  readonly timeoutMs: number;
  readonly payload: unknown;
}

/**
 * Steps 1, 3 and 4 for the coordinator: proposes a transaction while subscribed, follows its
 * votes, decides. A coordinator that leaves before the decision decides abort (`cancelled`).
 */
export function coordinate$(records: TwoPhaseRecords, plan: CoordinatorPlan): Observable<CoordinatorState> {
  return participate(
    () => new Coordination(records, plan),
    (state) => state.state === 'decided',
  );
}

/** One proposal: made as the coordinator subscribes, and never made again. */
class Coordination implements Participation<CoordinatorState> {
  /** The transaction's id, once proposed. */
  private readonly proposing: Promise<string>;
  readonly states$: Observable<CoordinatorState>;

  constructor(
    private readonly records: TwoPhaseRecords,
    private readonly plan: CoordinatorPlan,
  ) {
    this.proposing = this.propose();
    this.proposing.catch(() => undefined);
    this.states$ = from(this.proposing).pipe(switchMap((txId) => this.follow$(txId)));
  }

  /** Leaving undecided: decides abort, rather than make everyone wait for the timeout. */
  async withdraw(): Promise<void> {
    const txId = await this.proposing;
    await this.records.writeDecision(txId, { decision: 'abort', reason: 'cancelled' }, 'coordinator');
  }

  /** Step 1. */
  private async propose(): Promise<string> {
    const { zk, path } = this.records;
    const session = await liveSession(zk, `create under ${path}`, path);
    const { participants, payload, timeoutMs } = this.plan;
    const data = encodeProposal(participants, payload, timeoutMs, Date.now());
    // Never re-proposed on failure: a second transaction node would be a second transaction.
    const txId = baseName(await createProtected(zk, session, path, 'tx', data, 'persistent-sequential'));
    await createIfAbsent(zk, this.records.nodes(txId).votes);
    return txId;
  }

  /** Steps 3-4: `collecting` as each vote comes, then `decided`. */
  private follow$(txId: string): Observable<CoordinatorState> {
    let votes: Readonly<Record<string, Vote>> = {};
    // One subscription to the votes, so that `collecting` is always current when the decision is
    // made from them.
    const current$ = this.records.votes$(txId).pipe(share());
    const ours$ = current$.pipe(
      twoPhaseDecision(this.plan.participants, this.plan.timeoutMs, this.records.zk.scheduler),
      take(1),
      switchMap((outcome) => defer(() => this.records.writeDecision(txId, outcome, 'coordinator')).pipe(this.records.retry())),
    );
    return merge(
      current$.pipe(
        map((current): CoordinatorState => {
          votes = Object.fromEntries(current);
          return { state: 'collecting', txId, votes };
        }),
      ),
      // Whoever decided first, the decision node is what counts.
      race(this.records.decision$(txId), ours$).pipe(
        take(1),
        map((outcome): CoordinatorState => ({ state: 'decided', txId, votes, ...outcome })),
      ),
    ).pipe(takeWhile((state) => state.state !== 'decided', true));
  }
}
