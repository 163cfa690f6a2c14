/**
 * rxzk/advanced: the building blocks the recipes are made of, for writing recipes of your own.
 *
 * These are exported for that use, but they are not the stable surface the main entry is: they
 * follow the recipes' needs and may change in a minor version (the CHANGELOG says when).
 * @module
 */
/// <reference types="node" preserve="true" />

// The session's state machine as a pure operator, and the server's error codes as typed errors.
export { connectionStates, type SessionEvent } from './session/connection-states.js';
export { errorFromCode } from './errors/from-code.js';

// Comparisons and decisions the streams and recipes are built from.
export { isNewerStat } from './operators/latest-node.js';
export { sameChildren } from './operators/distinct-children.js';
export { backoffDelay, isTransient } from './operators/retry-backoff.js';
export { leadershipOf, NOT_LEADING, sameLeadership } from './recipes/leadership.js';
export { positionIn, presenceIn } from './recipes/operators/queue-position.js';
export { isReader, READER_ID, WRITER_ID } from './recipes/operators/read-write-position.js';
export { sameInstances } from './recipes/service-instance.js';
export { barrierEntryOf } from './recipes/operators/barrier-entry.js';
export { barrierExitStepOf } from './recipes/operators/barrier-exit.js';
export { queueEntries, sameEntries } from './recipes/operators/queue-items.js';
export { sameMembers } from './recipes/operators/group-members.js';
export { COUNTER_WRITES_KEPT, decodeCounter, encodeCounter } from './recipes/operators/counter-values.js';
export { parseConfig } from './recipes/operators/config-values.js';
export { decodeVotes, tallyVotes } from './recipes/operators/two-phase-decision.js';
export {
  versionedUpdate,
  writeToken,
  type UpdatePlan,
  type VersionedUpdate,
  type WriteAttempt,
} from './recipes/versioned-update.js';

// Queue participants and their node names (rxzk's own, Curator's and kazoo's).
export { QueueParticipant, type Standing } from './recipes/queue-participant.js';
export { EphemeralRegistration, type ClaimOutcome } from './recipes/ephemeral-registration.js';
export { createProtected } from './recipes/protected-create.js';
export {
  contenderOrder,
  parseContender,
  parseProtectedName,
  protectedPrefix,
  queueOrder,
  type Contenders,
  type ProtectedName,
} from './recipes/protected-names.js';
export { namingFor, RXZK_NAMING, type NodeNaming, type QueueRole } from './recipes/node-naming.js';
export { reportingStrangers, type StrangerReport } from './recipes/operators/reporting-strangers.js';
export { ContenderIds } from './recipes/contender-ids.js';
export {
  curatorInstanceData,
  formatUriSpec,
  fromCuratorPayload,
  parseUriSpec,
  toCuratorPayload,
  type UriSpecPart,
} from './recipes/curator-instance.js';
