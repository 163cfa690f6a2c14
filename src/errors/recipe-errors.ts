import { ZkError } from './zk-error.js';

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
