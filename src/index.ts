/**
 * rxzk: Apache ZooKeeper as RxJS streams.
 * @module
 */

// Client
export { connect, ZkClient } from './client/zk-client.js';
export type { CallOptions, CreateMode, CreateOptions, Data, ReadyOptions } from './client/call-options.js';
export type { AuthInfo, ConnectOptions, RetryOptions } from './client/options.js';
export { connectionStates, isLive, type ConnectionState, type SessionEvent } from './client/connection-state.js';
export type { Stat, ZNode } from './client/stat.js';
export { Transaction, type TransactionResult } from './client/transaction.js';
export { CREATOR_ALL_ACL, digestACL, OPEN_ACL_UNSAFE, Perms, READ_ACL_UNSAFE, type ACL } from './client/acl.js';
export type { TreeOptions } from './streams/tree-stream.js';

// Operators
export { decodeJson, json, utf8, DataDecodeError } from './operators/codecs.js';
export { isNewerStat, latestNode, latestStat } from './operators/latest-node.js';
export { distinctChildren, sameChildren } from './operators/distinct-children.js';

// Paths
export { validatePath } from './paths/validate-path.js';
export { ancestorsOf, baseName, joinPath, parentPath } from './paths/paths.js';

// Errors
export {
  AuthFailedError,
  BadVersionError,
  ClientClosedError,
  ConnectionLossError,
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
export { errorFromCode } from './errors/from-code.js';

// Administration
export {
  fourLetter,
  FourLetterError,
  parseMntr,
  parseSrvr,
  type FourLetterCommand,
  type FourLetterOptions,
  type ServerStatus,
} from './admin/four-letter.js';
