/** How a two-phase commit lays out and encodes its nodes (pure: no client). */
import type { ZNode } from '../model/stat.js';
import { DataDecodeError, decodeJson } from '../operators/codecs.js';
import { joinPath } from '../paths/paths.js';
import type { DecisionReason, TwoPhaseOutcome } from './operators/two-phase-decision.js';
import type { Proposal } from './two-phase-types.js';

/** The nodes of one transaction: `<path>/<txId>`, its `votes` and its `decision`. */
export interface TransactionNodes {
  readonly tx: string;
  readonly votes: string;
  readonly decision: string;
}

/** Where transaction `txId` of the two-phase commits under `path` keeps its nodes. */
export function transactionNodes(path: string, txId: string): TransactionNodes {
  const tx = joinPath(path, txId);
  return { tx, votes: joinPath(tx, 'votes'), decision: joinPath(tx, 'decision') };
}

/** What a transaction node holds. */
export function encodeProposal(participants: readonly string[], payload: unknown, timeoutMs: number, createdAt: number): string {
  return JSON.stringify({ participants, payload, timeoutMs, createdAt });
}

/**
 * Reads a transaction node.
 *
 * @throws DataDecodeError naming the path if it holds no two-phase commit transaction.
 */
export function decodeProposal(node: ZNode, txId: string): Proposal {
  const data = decodeJson<Record<string, unknown> | null>(node);
  const { participants, payload, timeoutMs, createdAt } = data ?? {};
  if (
    !Array.isArray(participants) ||
    !participants.every((p) => typeof p === 'string') ||
    typeof timeoutMs !== 'number' ||
    typeof createdAt !== 'number'
  ) {
    throw new DataDecodeError(`${node.path}: not a two-phase commit transaction`, { path: node.path });
  }
  return { txId, path: node.path, participants: participants as string[], payload: payload ?? null, timeoutMs, createdAt };
}

/** What a decision node holds: the outcome, and who wrote it. */
export function encodeDecision(outcome: TwoPhaseOutcome, by: string): string {
  return JSON.stringify({ ...outcome, by });
}

const REASONS: readonly DecisionReason[] = ['unanimous', 'vote-abort', 'timeout', 'cancelled'];

/** Reads a decision node. Anything but a clear commit is an abort: the safe reading of a damaged decision. */
export function decodeDecision(node: ZNode): TwoPhaseOutcome {
  let data: { decision?: unknown; reason?: unknown } | null = null;
  try {
    data = decodeJson<{ decision?: unknown; reason?: unknown } | null>(node);
  } catch {
    data = null;
  }
  const decision = data?.decision === 'commit' ? 'commit' : 'abort';
  const reason = REASONS.includes(data?.reason as DecisionReason) ? (data!.reason as DecisionReason) : 'vote-abort';
  return { decision, reason };
}
