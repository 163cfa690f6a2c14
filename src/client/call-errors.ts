import { BadVersionError, NoNodeError } from '../errors/zk-error.js';
import { parentPath } from '../paths/paths.js';

/** ZooKeeper's codes for the errors explained here. */
export const NO_NODE = NoNodeError.code;
export const BAD_VERSION = BadVersionError.code;

/**
 * A create's NoNode: ZooKeeper says only "no node", which for a create always means the parent is
 * missing. Names the parent, and the way out.
 *
 * @param context Prefixed to the message (e.g. which step of a transaction).
 */
export function missingParentError(path: string, cause?: unknown, context?: string): NoNodeError {
  const message = `cannot create ${path}: its parent ${parentPath(path)} does not exist (create it first, or pass { parents: true })`;
  return new NoNodeError(context ? `${context}: ${message}` : message, { code: NO_NODE, path, cause });
}

/**
 * A conditional call's BadVersion, saying the version expected and, when known, the one found.
 *
 * @param of `'data'` for `set`, `delete` and `check`; `'acl'` for `setACL` (the ACL's own version).
 * @param context Prefixed to the message (e.g. which step of a transaction).
 */
export function badVersionError(
  path: string,
  expectedVersion: number,
  actualVersion: number | undefined,
  options: { of?: 'data' | 'acl'; cause?: unknown; context?: string } = {},
): BadVersionError {
  const subject = options.of === 'acl' ? `${path}'s ACL` : path;
  const described =
    actualVersion === undefined
      ? `${subject} is not at the expected version ${expectedVersion}`
      : `${subject} is at version ${actualVersion}, not at the expected version ${expectedVersion}`;
  const message = options.context ? `${options.context}: ${described}` : described;
  return new BadVersionError(message, {
    code: BAD_VERSION,
    path,
    cause: options.cause,
    expectedVersion,
    ...(actualVersion === undefined ? {} : { actualVersion }),
  });
}
