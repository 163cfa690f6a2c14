/**
 * rxzk: Apache ZooKeeper as RxJS streams.
 * @module
 */
// The declarations speak of Node's types (Buffer, AbortSignal, NodeJS.*): this reference makes a
// consumer's compiler load them even with `types: []`; `preserve` keeps it in the emitted .d.ts.
/// <reference types="node" preserve="true" />

// Client
export { connect } from './client/connect.js';
export type { ZkClient } from './client/zk-client.js';
export type { CallOptions, CreateOptions, ReadyOptions } from './client/call-options.js';
export type { AuthInfo, ConnectOptions, RetryOptions, WireKind } from './client/options.js';
export type { Transaction, TransactionResult } from './client/transaction.js';

// Model
export type { CreateMode } from './model/create-mode.js';
export type { Data } from './model/data.js';
export { isLive, type ConnectionState } from './model/connection-state.js';
export type { Stat, ZNode } from './model/stat.js';
export { jsonReplacer, statToJson, type StatJson } from './model/stat-json.js';
export { CREATOR_ALL_ACL, digestACL, OPEN_ACL_UNSAFE, Perms, READ_ACL_UNSAFE, type ACL } from './model/acl.js';
export type { TreeOptions } from './streams/tree-stream.js';

// Operators
export { decodeJson, json, utf8 } from './operators/codecs.js';
export { latestNode, latestStat } from './operators/latest-node.js';
export { distinctChildren } from './operators/distinct-children.js';

// Paths
export { validatePath } from './paths/validate-path.js';
export { ancestorsOf, baseName, joinPath, parentPath } from './paths/paths.js';

// Errors
export {
  AuthFailedError,
  BadVersionError,
  ClientClosedError,
  ConnectionLossError,
  DataDecodeError,
  DataTooLargeError,
  InvalidACLError,
  InvalidArgumentError,
  InvalidPathError,
  isRetryable,
  NoAuthError,
  NoChildrenForEphemeralsError,
  NodeExistsError,
  NoNodeError,
  NotEmptyError,
  OperationTimeoutError,
  ServerError,
  SessionExpiredError,
  ZkError,
  type ZkErrorOptions,
} from './errors/zk-error.js';
export { FourLetterError } from './errors/tool-errors.js';

// Administration
export {
  fourLetter,
  parseMntr,
  parseSrvr,
  type FourLetterCommand,
  type FourLetterOptions,
  type ServerStatus,
} from './admin/four-letter.js';
export { serversOf } from './admin/connect-string.js';

// Streams beyond the client's own
export { childrenData } from './client/children-data.js';

// Recipes
export {
  election$,
  electLeader,
  leadership,
  type ElectionView,
  type Leadership,
  type LeadershipOptions,
} from './recipes/leadership.js';
export { lock, lockStates, withLock, type LockOptions, type LockState } from './recipes/lock.js';
export { holderStates, type HolderState, type HolderVerdict } from './recipes/operators/holder-states.js';
export { register, type RegisterOptions, type RegistrationState } from './recipes/register.js';
export { discover, type DiscoverOptions } from './recipes/discover.js';
export {
  serviceInstances,
  type InstanceFormat,
  type ServiceInstance,
  type ServiceRegistration,
} from './recipes/service-instance.js';
export { queuePosition, type QueuePosition } from './recipes/operators/queue-position.js';
export { whileLive } from './recipes/operators/while-live.js';

// Beside Curator and kazoo on the same znodes
export type { Contender, NodeScheme } from './recipes/protected-names.js';
export type { SchemeOptions } from './recipes/scheme-participant.js';
export type { CuratorServiceInstance } from './recipes/curator-instance.js';
export { LockLostError, LockTimeoutError } from './errors/recipe-errors.js';
export { retryBackoff, type RetryBackoffOptions } from './operators/retry-backoff.js';

// Recipes: read/write lock, semaphore, barriers
export { type PositionRule } from './recipes/operators/queue-position.js';
export {
  readWritePosition,
  readWriteQueuePosition,
  type LockKind,
} from './recipes/operators/read-write-position.js';
export { readWriteLock, withReadLock, withWriteLock, type ReadWriteLock } from './recipes/read-write-lock.js';
export { semaphore, type SemaphoreOptions } from './recipes/semaphore.js';
export { leasesAvailable } from './recipes/operators/leases-available.js';
export { leaseStates, type LeaseState, type SemaphoreStep } from './recipes/operators/lease-states.js';
export { BarrierTimeoutError, SemaphoreTimeoutError } from './errors/recipe-errors.js';
export { barrier, type Barrier, type BarrierWaitOptions } from './recipes/barrier.js';
export {
  doubleBarrier,
  type DoubleBarrier,
  type DoubleBarrierOptions,
  type DoubleBarrierState,
} from './recipes/double-barrier.js';
export { barrierEntry, type BarrierEntry } from './recipes/operators/barrier-entry.js';
export { barrierExit, type BarrierExitStep } from './recipes/operators/barrier-exit.js';

// Recipes: queue, group, counter, configuration, two-phase commit
export { queue, type DistributedQueue, type OfferOptions, type ProcessOptions } from './recipes/queue.js';
export type { QueueItem } from './recipes/queue-claims.js';
export { queueItems, type QueueEntry } from './recipes/operators/queue-items.js';
export {
  InvalidConfigError,
  NotAParticipantError,
  QueueClaimLostError,
  WriteOutcomeUnknownError,
} from './errors/recipe-errors.js';
export { group, members$, type GroupOptions, type MembersOptions } from './recipes/group.js';
export { groupMembers, type GroupMember } from './recipes/operators/group-members.js';
export { counter, type CounterOptions, type DistributedCounter } from './recipes/counter.js';
export {
  counterValues,
  counterWriteOutcome,
  type CounterState,
} from './recipes/operators/counter-values.js';
export { config, type ConfigOptions, type DistributedConfig } from './recipes/config.js';
export { configValues, configWriteOutcome, type ConfigValuesOptions } from './recipes/operators/config-values.js';
export type { WriteOutcome } from './recipes/versioned-update.js';
export {
  twoPhaseCommit,
  type CoordinateOptions,
  type CoordinatorState,
  type ParticipantState,
  type ParticipateOptions,
  type Proposal,
  type TwoPhaseCommit,
} from './recipes/two-phase-commit.js';
export {
  twoPhaseDecision,
  type DecisionReason,
  type TwoPhaseOutcome,
  type Vote,
} from './recipes/operators/two-phase-decision.js';

// For async/await code: the recipes held as handles
export { acquireLock, type AcquireLockOptions } from './handles/acquire-lock.js';
export { acquireReadLock, acquireWriteLock } from './handles/acquire-read-write-lock.js';
export { acquireSemaphoreLease, type AcquireSemaphoreLeaseOptions } from './handles/acquire-semaphore-lease.js';
export { campaign, type CampaignOptions, type LeadershipTerm } from './handles/campaign.js';
export { registerInstance, type InstanceRegistration, type RegisterInstanceOptions } from './handles/register-instance.js';
export type { Lease, LeaseWaitOptions } from './handles/lease.js';
export type { WorkResult } from './recipes/work-result.js';
export { AbortError, LeadershipLostError } from './errors/recipe-errors.js';
