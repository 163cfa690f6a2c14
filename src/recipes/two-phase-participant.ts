/** A participant's side of a two-phase commit: steps 2 and 5 of `two-phase-commit.ts`. */
import {
  catchError,
  concat,
  concatMap,
  defaultIfEmpty,
  defer,
  EMPTY,
  filter,
  from,
  ignoreElements,
  map,
  merge,
  of,
  take,
  takeWhile,
  tap,
  type Observable,
} from 'rxjs';
import { NotAParticipantError } from '../errors/recipe-errors.js';
import { twoPhaseDecision, type TwoPhaseOutcome, type Vote } from './operators/two-phase-decision.js';
import { participate, type Participation } from './participation.js';
import { queueOrder } from './protected-names.js';
import type { TwoPhaseRecords } from './two-phase-records.js';
import type { ParticipantState, ParticipateOptions, Proposal } from './two-phase-types.js';

/**
 * Steps 2 and 5 for participant `id` of transaction `txId`: reads the transaction, prepares and
 * votes (or finds its vote on record), helps decide, and learns the decision.
 */
export function participate$(records: TwoPhaseRecords, txId: string, id: string, vote: ParticipateOptions['vote']): Observable<ParticipantState> {
  return participate(
    () => new TransactionParticipant(records, txId, id, vote),
    (state) => state.state === 'decided',
  );
}

/**
 * The transactions that wait for participant `id`'s vote (undecided, not voted by it), each once,
 * in the order they were proposed.
 */
export function proposals$(records: TwoPhaseRecords, id: string): Observable<Proposal> {
  return defer(() => {
    const seen = new Set<string>();
    return records.zk.children$(records.path).pipe(
      concatMap((children) => {
        const fresh = queueOrder(children ?? [])
          .map((p) => p.name)
          .filter((name) => !seen.has(name));
        for (const name of fresh) seen.add(name);
        return from(fresh);
      }),
      concatMap((txId) => defer(() => records.waitingFor(txId, id)).pipe(records.retry())),
      filter((proposal): proposal is Proposal => proposal !== null),
    );
  });
}

/**
 * How far a participant has come, which decides what leaving means: before it is known to be a
 * participant, or once its vote is on record, nothing; while it is named but has not voted, it
 * votes abort, rather than make everyone wait for the timeout.
 */
type Step = 'reading' | 'named' | 'voted' | 'decided';

/** A vote made, and the error of the preparation that made it abort, to report once it is cast. */
interface Prepared {
  readonly vote: Vote;
  readonly failure?: { readonly error: unknown };
}

class TransactionParticipant implements Participation<ParticipantState> {
  private step: Step = 'reading';
  /** The vote on record, once known. */
  private vote: Vote | null = null;
  readonly states$: Observable<ParticipantState>;

  constructor(
    private readonly records: TwoPhaseRecords,
    private readonly txId: string,
    private readonly id: string,
    private readonly prepare: ParticipateOptions['vote'],
  ) {
    const { zk } = records;
    const at = records.nodes(txId);
    this.states$ = defer(() => Promise.all([records.proposal(txId), zk.exists(at.decision)])).pipe(
      records.retry(),
      concatMap(([proposal, decided]) => this.take$(proposal, decided !== null)),
    );
  }

  /** Named but not voted: votes abort. */
  async withdraw(): Promise<void> {
    if (this.step === 'named') await this.records.castVote(this.txId, this.id, 'abort');
  }

  /** Everything after the transaction was read. */
  private take$(proposal: Proposal, decidedAlready: boolean): Observable<ParticipantState> {
    if (!proposal.participants.includes(this.id)) {
      throw new NotAParticipantError(`twoPhaseCommit ${proposal.path}: "${this.id}" is not a participant (${proposal.participants.join(', ')})`, {
        path: proposal.path,
      });
    }
    this.step = 'named';
    const { txId } = this;
    // Decided already (it timed out, or this is a restart): nothing to vote on.
    const steps$ = decidedAlready ? EMPTY : concat(of<ParticipantState>({ state: 'preparing', txId }), this.vote$(proposal), this.helpDecide$(proposal));
    return merge(steps$, this.decided$()).pipe(takeWhile((state) => state.state !== 'decided', true));
  }

  /** The vote on record (a restart), or prepare and cast one. */
  private vote$(proposal: Proposal): Observable<ParticipantState> {
    const onRecord$ = this.records.voteOnRecord$(this.txId, this.id).pipe(map((vote): Prepared => ({ vote })));
    const cast$ = this.prepared$(proposal).pipe(
      concatMap((prepared) =>
        defer(() => this.records.castVote(this.txId, this.id, prepared.vote)).pipe(
          this.records.retry(),
          map((vote): Prepared => ({ ...prepared, vote })),
        ),
      ),
    );
    return concat(onRecord$, cast$).pipe(
      take(1),
      concatMap(({ vote, failure }) => {
        this.voted(vote);
        if (failure) throw failure.error;
        return of<ParticipantState>({ state: 'voted', txId: this.txId, vote });
      }),
    );
  }

  /** The vote as given, or as the preparation gives it: a preparation that fails votes abort. */
  private prepared$(proposal: Proposal): Observable<Prepared> {
    const prepare = this.prepare;
    if (typeof prepare !== 'function') return of({ vote: prepare });
    return defer(() => prepare(proposal)).pipe(
      take(1),
      map((vote): Prepared => ({ vote: vote === 'commit' ? 'commit' : 'abort' })),
      catchError((error: unknown) => of<Prepared>({ vote: 'abort', failure: { error } })),
    );
  }

  /** Step 5: having voted, help decide: the coordinator may be gone. */
  private helpDecide$(proposal: Proposal): Observable<never> {
    const { records, txId } = this;
    return records.votes$(txId).pipe(
      twoPhaseDecision(proposal.participants, proposal.timeoutMs, records.zk.scheduler),
      take(1),
      concatMap((outcome) => defer(() => records.writeDecision(txId, outcome, this.id)).pipe(records.retry())),
      ignoreElements(),
    );
  }

  /** The decision, with the vote on record (looked up if it came before we knew it: a restart). */
  private decided$(): Observable<ParticipantState> {
    return this.records.decision$(this.txId).pipe(
      concatMap((outcome) => (this.vote !== null ? of(outcome) : this.withVoteOnRecord$(outcome))),
      map((outcome): ParticipantState => {
        this.step = 'decided';
        return { state: 'decided', txId: this.txId, vote: this.vote, ...outcome };
      }),
    );
  }

  private withVoteOnRecord$(outcome: TwoPhaseOutcome): Observable<TwoPhaseOutcome> {
    return this.records.voteOnRecord$(this.txId, this.id).pipe(
      tap((vote) => this.voted(vote)),
      map(() => outcome),
      defaultIfEmpty(outcome),
    );
  }

  private voted(vote: Vote): void {
    this.vote = vote;
    if (this.step !== 'decided') this.step = 'voted';
  }
}
