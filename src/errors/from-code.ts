import {
  AuthFailedError,
  BadVersionError,
  ConnectionLossError,
  InvalidACLError,
  NoAuthError,
  NoChildrenForEphemeralsError,
  NodeExistsError,
  NoNodeError,
  NotEmptyError,
  OperationTimeoutError,
  ServerError,
  SessionExpiredError,
  type ZkError,
} from './zk-error.js';

/** What each server error code means; `{what}` is the operation and path it concerns. */
const DESCRIPTIONS: Record<number, string> = {
  [-1]: '{what}: system error on the server',
  [-2]: '{what}: runtime inconsistency',
  [-3]: '{what}: data inconsistency',
  [-4]: '{what}: connection lost before the reply came; it may or may not have taken effect',
  [-5]: '{what}: marshalling error',
  [-6]: '{what}: not implemented by the server',
  [-7]: '{what}: timed out',
  [-8]: '{what}: bad arguments',
  [-12]: '{what}: the server does not know the session (it has ended)',
  [-13]: '{what}: the new configuration has no quorum',
  [-14]: '{what}: another reconfiguration is in progress',
  [-100]: '{what}: API error',
  [-101]: '{path} does not exist',
  [-102]: '{what}: not authorized',
  [-103]: '{path} is not at the expected version',
  [-108]: '{path} is ephemeral and cannot have children',
  [-110]: '{path} already exists',
  [-111]: '{path} has children',
  [-112]: '{what}: the session expired',
  [-113]: '{what}: invalid callback',
  [-114]: '{what}: invalid ACL',
  [-115]: '{what}: authentication failed',
  [-118]: '{what}: the session moved to another server',
  [-119]: '{what}: the server is read-only',
  [-120]: '{what}: ephemeral node on a local session',
  [-121]: '{what}: no such watcher',
  [-122]: '{what}: not completed by the server within its request timeout',
  [-123]: '{what}: reconfiguration is disabled',
  [-124]: '{what}: the session was closed because the client failed to authenticate',
  [-125]: '{what}: quota exceeded',
  [-127]: '{what}: throttled by the server under load and not executed; retry with back-off',
};

type ErrorClass = new (message: string, options: { code: number; path?: string; cause?: unknown }) => ZkError;

/** The class of each code that has one: each class carries the code it stands for. */
const CLASSES = new Map<number, ErrorClass>([
  ...[
    ConnectionLossError,
    OperationTimeoutError,
    NoNodeError,
    NoAuthError,
    BadVersionError,
    NoChildrenForEphemeralsError,
    NodeExistsError,
    NotEmptyError,
    SessionExpiredError,
    InvalidACLError,
    AuthFailedError,
  ].map((Class) => [Class.code, Class] as const),
  // The server no longer knows the session: it is gone, as an expired one is.
  [-12, SessionExpiredError],
]);

/**
 * Turns a ZooKeeper error code into its typed error. Unknown codes become a {@link ServerError}
 * carrying the code; no code ever throws.
 *
 * @param code ZooKeeper's error code (negative).
 * @param path The path the operation was about.
 * @param operation What was attempted (`'get'`, `'create'`...).
 * @param context Prefixed to the message (e.g. which step of a transaction failed).
 */
export function errorFromCode(
  code: number,
  path?: string,
  operation?: string,
  cause?: unknown,
  context?: string,
): ZkError {
  const template = DESCRIPTIONS[code] ?? `{what}: server error ${code}`;
  const what = [operation, path].filter(Boolean).join(' ') || 'request';
  const described = template.replace('{what}', what).replace('{path}', path ?? 'node');
  const message = context ? `${context}: ${described}` : described;
  const Class = CLASSES.get(code) ?? ServerError;
  return new Class(message, { code, ...(path === undefined ? {} : { path }), cause });
}
