/** The nodes of the two-phase commits under one path, as both roles read and write them. */
import { defer, filter, map, take, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import type { ZNode } from '../model/stat.js';
import type { ZkClient } from '../client/zk-client.js';
import { isInDoubt } from '../errors/zk-error.js';
import { DataDecodeError } from '../operators/codecs.js';
import { retryBackoff } from '../operators/retry-backoff.js';
import { joinPath } from '../paths/paths.js';
import { childrenData } from '../client/children-data.js';
import { createOrRead, getOrNull } from './node-idioms.js';
import { decodeVote, decodeVotes, type TwoPhaseOutcome, type Vote } from './operators/two-phase-decision.js';
import { decodeDecision, decodeProposal, encodeDecision, transactionNodes, type TransactionNodes } from './two-phase-codec.js';
import type { Proposal } from './two-phase-types.js';

/**
 * The records of the two-phase commits under one path, as coordinators and participants read and
 * write them. Every record is written once, with a create: whoever writes a vote or the decision
 * first, everyone adopts what is there.
 */
export class TwoPhaseRecords {
  constructor(
    readonly zk: ZkClient,
    readonly path: string,
  ) {}

  /** Transaction `txId`'s nodes. */
  nodes(txId: string): TransactionNodes {
    return transactionNodes(this.path, txId);
  }

  /** Tries a step again while its outcome is in doubt (a lost reply, a lost session), a few times. */
  retry<T>(): MonoTypeOperatorFunction<T> {
    return retryBackoff<T>({ scheduler: this.zk.scheduler, maxRetries: 20, isTransient: isInDoubt });
  }

  /** Reads transaction `txId`. Errors with NoNodeError if there is none, DataDecodeError if it is not one. */
  async proposal(txId: string): Promise<Proposal> {
    return decodeProposal(await this.zk.get(this.nodes(txId).tx), txId);
  }

  /** Writes the decision, or reads the one that was there first; resolves with the decision on record. */
  async writeDecision(txId: string, outcome: TwoPhaseOutcome, by: string): Promise<TwoPhaseOutcome> {
    const first = await createOrRead(this.zk, this.nodes(txId).decision, encodeDecision(outcome, by));
    return first === null ? outcome : decodeDecision(first);
  }

  /** The decision, once there is one; then completes. */
  decision$(txId: string): Observable<TwoPhaseOutcome> {
    return this.zk.data$(this.nodes(txId).decision).pipe(
      filter((node): node is ZNode => node !== null),
      map(decodeDecision),
      take(1),
    );
  }

  /** The votes cast so far, on every change. */
  votes$(txId: string): Observable<ReadonlyMap<string, Vote>> {
    return childrenData(this.zk, this.nodes(txId).votes).pipe(map(decodeVotes));
  }

  /** Casts `id`'s vote, or reads the one on record; resolves with the vote on record. */
  async castVote(txId: string, id: string, vote: Vote): Promise<Vote> {
    const first = await createOrRead(this.zk, this.voteNode(txId, id), vote);
    return first === null ? vote : decodeVote(first);
  }

  /** `id`'s vote on record, if it has voted (a restart); completes without one otherwise. */
  voteOnRecord$(txId: string, id: string): Observable<Vote> {
    return defer(() => getOrNull(this.zk, this.voteNode(txId, id))).pipe(
      this.retry(),
      filter((node): node is ZNode => node !== null),
      map(decodeVote),
    );
  }

  /** Transaction `txId`, if it is undecided and waits for `id`'s vote. */
  async waitingFor(txId: string, id: string): Promise<Proposal | null> {
    const at = this.nodes(txId);
    const node = await getOrNull(this.zk, at.tx);
    const proposal = node && proposalOrNull(node, txId);
    if (!proposal?.participants.includes(id)) return null;
    const [decision, vote] = await Promise.all([this.zk.exists(at.decision), this.zk.exists(this.voteNode(txId, id))]);
    return decision === null && vote === null ? proposal : null;
  }

  private voteNode(txId: string, id: string): string {
    return joinPath(this.nodes(txId).votes, id);
  }
}

/** A transaction node's proposal; `null` for a node that holds none (not a transaction of ours). */
function proposalOrNull(node: ZNode, txId: string): Proposal | null {
  try {
    return decodeProposal(node, txId);
  } catch (error) {
    if (error instanceof DataDecodeError) return null;
    throw error;
  }
}
