/** Fields every {@link ZkError} may carry. */
export interface ZkErrorOptions {
  /** ZooKeeper's numeric error code, when the error came from (or stands for) one. */
  code?: number;
  /** The znode path the failed call was about. */
  path?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Base class of every error rxzk raises. `name` is fixed per subclass, `message` is deterministic
 * (it names the path and what went wrong), `code` is ZooKeeper's error code where one exists.
 */
export class ZkError extends Error {
  override name = 'ZkError';
  readonly code: number | undefined;
  readonly path: string | undefined;

  constructor(message: string, options: ZkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.path = options.path;
  }
}

/** The path is not a valid ZooKeeper path. Thrown at the call that received it. */
export class InvalidPathError extends ZkError {
  override name = 'InvalidPathError';
  constructor(
    message: string,
    readonly invalidPath: string,
    /** Index of the first offending character (0-based). */
    readonly position: number,
  ) {
    super(message, { path: invalidPath });
  }
}

/** The request would exceed the server's request size limit (`jute.maxbuffer`); it was not sent. */
export class DataTooLargeError extends ZkError {
  override name = 'DataTooLargeError';
  constructor(
    message: string,
    path: string,
    /** Bytes the encoded request would take. */
    readonly requestBytes: number,
    /** The limit it was checked against. */
    readonly limitBytes: number,
  ) {
    super(message, { path });
  }
}

/** A call's options or arguments are wrong (not a path or size problem). */
export class InvalidArgumentError extends ZkError {
  override name = 'InvalidArgumentError';
}

/** The node does not exist. */
export class NoNodeError extends ZkError {
  override name = 'NoNodeError';
  /** ZooKeeper's code for this error. */
  static readonly code = -101;
}

/** The node already exists. */
export class NodeExistsError extends ZkError {
  override name = 'NodeExistsError';
  /** ZooKeeper's code for this error. */
  static readonly code = -110;
}

/** The node has children, so it cannot be deleted without `recursive`. */
export class NotEmptyError extends ZkError {
  override name = 'NotEmptyError';
  /** ZooKeeper's code for this error. */
  static readonly code = -111;
}

/** The expected version did not match the node's version. */
export class BadVersionError extends ZkError {
  override name = 'BadVersionError';
  /** ZooKeeper's code for this error. */
  static readonly code = -103;
  /** The version the call expected, when the error came from a conditional call. */
  readonly expectedVersion: number | undefined;
  /** The version the node was found at, read right after the conflict, when that read succeeded. */
  readonly actualVersion: number | undefined;

  constructor(message: string, options: ZkErrorOptions & { expectedVersion?: number; actualVersion?: number } = {}) {
    super(message, options);
    this.expectedVersion = options.expectedVersion;
    this.actualVersion = options.actualVersion;
  }
}

/** The session's identities are not allowed this operation on this node. */
export class NoAuthError extends ZkError {
  override name = 'NoAuthError';
  /** ZooKeeper's code for this error. */
  static readonly code = -102;
}

/** The server rejected the session's credentials; the client cannot go on. */
export class AuthFailedError extends ZkError {
  override name = 'AuthFailedError';
  /** ZooKeeper's code for this error. */
  static readonly code = -115;
}

/** Ephemeral nodes cannot have children. */
export class NoChildrenForEphemeralsError extends ZkError {
  override name = 'NoChildrenForEphemeralsError';
  /** ZooKeeper's code for this error. */
  static readonly code = -108;
}

/** The ACL is invalid (empty, or an unknown scheme). */
export class InvalidACLError extends ZkError {
  override name = 'InvalidACLError';
  /** ZooKeeper's code for this error. */
  static readonly code = -114;
}

/**
 * The connection dropped before the reply arrived: the operation may or may not have taken
 * effect. Retryable.
 */
export class ConnectionLossError extends ZkError {
  override name = 'ConnectionLossError';
  /** ZooKeeper's code for this error. */
  static readonly code = -4;
}

/** The session ended (expired, or was presumed lost) while the operation was pending. */
export class SessionExpiredError extends ZkError {
  override name = 'SessionExpiredError';
  /** ZooKeeper's code for this error. */
  static readonly code = -112;
}

/** No reply within the operation timeout; the operation may still take effect. Retryable. */
export class OperationTimeoutError extends ZkError {
  override name = 'OperationTimeoutError';
  /** ZooKeeper's code for this error. */
  static readonly code = -7;
}

/** The client was closed. */
export class ClientClosedError extends ZkError {
  override name = 'ClientClosedError';
}

/** A node's data could not be decoded (e.g. malformed JSON); the message names the path. */
export class DataDecodeError extends ZkError {
  override name = 'DataDecodeError';
}

/** A server error without a dedicated class (its `code` says which). */
export class ServerError extends ZkError {
  override name = 'ServerError';
}

/** ZooKeeper's code for a request the server throttled under load and did not execute. */
const THROTTLED = -127;

/**
 * Whether retrying the same call may succeed: the connection was lost, no reply came in time, or
 * the server throttled the request (code -127, not executed). Every other error is final for that
 * call.
 */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof ConnectionLossError ||
    error instanceof OperationTimeoutError ||
    (error instanceof ServerError && error.code === THROTTLED)
  );
}

/**
 * Whether a request that failed with `error` may still have taken effect, or not yet be known to
 * have: no reply came (connection lost, timed out), or the session ended with it in flight.
 * Recipes look at the node before trying such a write again. (For rxzk's own modules: not
 * exported from the package.)
 */
export function isInDoubt(error: unknown): boolean {
  return isRetryable(error) || error instanceof SessionExpiredError;
}

/**
 * The connected server does not implement what was asked (ZooKeeper code -6). When the client
 * knows the server's version, it refuses such a request itself, without sending it: a server
 * closes the connection on a request type it does not know.
 */
export class UnimplementedError extends ZkError {
  override name = 'UnimplementedError';
  /** ZooKeeper's code for this error. */
  static readonly code = -6;
  declare readonly code: number;
  constructor(
    message: string,
    /** What the server lacks (`'addWatch'`, `'createContainer'`...). */
    readonly feature: string,
    /** The first ZooKeeper version that has it (`'3.6.0'`). */
    readonly requiredVersion: string,
    /** The version the server reported, if known. */
    readonly serverVersion: string | undefined,
    options: { path?: string } = {},
  ) {
    super(message, { code: UnimplementedError.code, ...options });
  }
}
