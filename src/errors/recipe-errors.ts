import { ZkError } from './zk-error.js';

/** A lock was not acquired within `timeoutMs`; the waiter's node was removed. */
export class LockTimeoutError extends ZkError {
  override name = 'LockTimeoutError';
}

/** The lock was lost (connection suspended, session lost, or node deleted) while the work ran. */
export class LockLostError extends ZkError {
  override name = 'LockLostError';
}
