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
