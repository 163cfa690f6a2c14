import {
  BadVersionError,
  ClientClosedError,
  ConnectionLossError,
  NodeExistsError,
  NoNodeError,
  OperationTimeoutError,
  SessionExpiredError,
  ZkError,
} from './zk-error.js';

/** A lock was not acquired within `timeoutMs`; the waiter's node was removed. */
export class LockTimeoutError extends ZkError {
  override name = 'LockTimeoutError';
}

/** The lock was lost (connection suspended, session lost, or node deleted) while the work ran. */
export class LockLostError extends ZkError {
  override name = 'LockLostError';
}

/** No semaphore lease was acquired within `timeoutMs`; the participant left the queue. */
export class SemaphoreTimeoutError extends ZkError {
  override name = 'SemaphoreTimeoutError';
}

/** A barrier was not passed (lifted, entered or left) within `timeoutMs`. */
export class BarrierTimeoutError extends ZkError {
  override name = 'BarrierTimeoutError';
}

/**
 * A queue item's claim is gone (its session was lost, or the claim node was deleted), so the item
 * could not be acknowledged: it may already be with another consumer, or be delivered again.
 */
export class QueueClaimLostError extends ZkError {
  override name = 'QueueClaimLostError';
}

/**
 * A conditional write's reply was lost and what happened to it cannot be told any more (the node
 * changed too often since, or was deleted and created again). The write may or may not have
 * taken effect; it was not repeated.
 */
export class WriteOutcomeUnknownError extends ZkError {
  override name = 'WriteOutcomeUnknownError';
}

/** A configuration node holds data that is not valid JSON or that the parse function rejected. */
export class InvalidConfigError extends ZkError {
  override name = 'InvalidConfigError';
}

/** A two-phase commit participant is not among the transaction's participants. */
export class NotAParticipantError extends ZkError {
  override name = 'NotAParticipantError';
}

/**
 * Waiting was given up because the caller's `AbortSignal` was aborted (its `reason` is the
 * `cause`). The waiter left: its nodes were removed before the promise rejected.
 */
export class AbortError extends ZkError {
  override name = 'AbortError';
}

/**
 * Leadership was lost (connection suspended, session lost, or the candidate node deleted by
 * someone else): the reason a `campaign` term's signal is aborted with.
 */
export class LeadershipLostError extends ZkError {
  override name = 'LeadershipLostError';
}

/*
 * How the recipes read the errors of their requests: each set of errors that means one thing to
 * a recipe, named once.
 */

/** The node is not there (never made, or deleted). */
export function isNoNode(error: unknown): boolean {
  return error instanceof NoNodeError;
}

/** The node is there already. */
export function isNodeExists(error: unknown): boolean {
  return error instanceof NodeExistsError;
}

/**
 * A conditional change found the node changed since it was read: deleted, at another version,
 * or made again. Read it again and decide again.
 */
export function isChangedMeanwhile(error: unknown): boolean {
  return error instanceof NoNodeError || error instanceof BadVersionError || error instanceof NodeExistsError;
}

/**
 * A delete that failed so needs no second try: the node is gone already, or the client is closed
 * (it ends the session, and an ephemeral node with it).
 */
export function isDeletedAnyway(error: unknown): boolean {
  return error instanceof NoNodeError || error instanceof ClientClosedError;
}

/**
 * Whether a create of `mode` that failed with `error` may have made its node all the same: its
 * reply was lost with the connection; for a fixed name, the create was re-sent after a lost reply
 * and found its own node; for a persistent node, which outlives its session, also a lost session
 * or a timeout.
 */
export function mayHaveCreated(error: unknown, mode: 'ephemeral' | 'ephemeral-sequential' | 'persistent-sequential'): boolean {
  if (error instanceof ConnectionLossError) return true;
  if (mode === 'ephemeral') return error instanceof NodeExistsError;
  if (mode === 'persistent-sequential') return error instanceof SessionExpiredError || error instanceof OperationTimeoutError;
  return false;
}
