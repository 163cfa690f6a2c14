import { InvalidArgumentError } from '../errors/zk-error.js';
import { checkACL, OPEN_ACL_UNSAFE, type ACL } from '../model/acl.js';
import { CREATE_MODES, type CreateMode } from '../model/create-mode.js';
import { EMPTY_DATA, toBuffer, type Data } from '../model/data.js';
import { validatePath } from '../paths/validate-path.js';
import type { CreateModeFlag } from '../wire/create-modes.js';
import type { MultiOp } from '../wire/wire-client.js';
import { checkVersion } from './call-options.js';
import { createBodyBytes, pathVersionBodyBytes, setBodyBytes } from './request-size.js';

/*
 * One request per write, checked and built in one place for the client's own call and for a
 * transaction's step of the same name (as kazoo's `Create`, `SetData`, `Delete`, `CheckVersion`
 * serve both): the same checks, the same messages, the same bytes.
 */

/** A write as the caller asked for it and as the wire sends it. */
export interface WriteRequest<Op extends MultiOp> {
  /** The path as the caller gave it, for messages and errors. */
  readonly path: string;
  /** What goes to the wire: the server's path (namespace applied) and checked values. */
  readonly op: Op;
  /** Bytes of the request's body, held against the server's request size limit. */
  readonly bodyBytes: number;
}

export type CreateOp = Extract<MultiOp, { type: 'create' }>;
export type SetDataOp = Extract<MultiOp, { type: 'setData' }>;
export type DeleteOp = Extract<MultiOp, { type: 'delete' }>;
export type CheckOp = Extract<MultiOp, { type: 'check' }>;

/** Maps a caller's path to the server's (namespace applied). */
export type ToServerPath = (path: string) => string;

/**
 * A create. `what` names the call in messages (`'create'`, `'transaction.create'`).
 * @throws InvalidPathError, InvalidArgumentError for a bad path, data, mode or ACL.
 */
export function createRequest(
  what: string,
  path: string,
  data: Data | null | undefined,
  options: { mode?: CreateMode; acl?: readonly ACL[] },
  toServerPath: ToServerPath,
): WriteRequest<CreateOp> {
  validatePath(path, what);
  const bytes = toBuffer(data, what) ?? null;
  const mode = options.mode ?? 'persistent';
  const flags = CREATE_MODES[mode];
  if (flags === undefined) {
    throw new InvalidArgumentError(`${what} ${path}: mode must be one of ${Object.keys(CREATE_MODES).join(', ')}, got ${String(mode)}`);
  }
  const acl = checkACL(options.acl ?? OPEN_ACL_UNSAFE, `${what} ${path}`);
  const serverPath = toServerPath(path);
  return {
    path,
    op: { type: 'create', path: serverPath, data: bytes, acl, mode: flags as CreateModeFlag },
    bodyBytes: createBodyBytes(serverPath, bytes ?? undefined, acl),
  };
}

/** A setData; `version` -1 (or omitted) for any. @throws InvalidPathError, InvalidArgumentError. */
export function setDataRequest(
  what: string,
  path: string,
  data: Data,
  version: number | undefined,
  toServerPath: ToServerPath,
): WriteRequest<SetDataOp> {
  validatePath(path, what);
  const bytes = toBuffer(data, what) ?? EMPTY_DATA;
  const checked = checkVersion(version, `${what} ${path}`);
  const serverPath = toServerPath(path);
  return { path, op: { type: 'setData', path: serverPath, data: bytes, version: checked }, bodyBytes: setBodyBytes(serverPath, bytes) };
}

/** A delete; `version` -1 (or omitted) for any. @throws InvalidPathError, InvalidArgumentError. */
export function deleteRequest(what: string, path: string, version: number | undefined, toServerPath: ToServerPath): WriteRequest<DeleteOp> {
  return pathVersion('delete', what, path, version, toServerPath);
}

/** A version check (transactions only). @throws InvalidPathError, InvalidArgumentError. */
export function checkRequest(what: string, path: string, version: number, toServerPath: ToServerPath): WriteRequest<CheckOp> {
  return pathVersion('check', what, path, version, toServerPath);
}

function pathVersion<T extends 'delete' | 'check'>(
  type: T,
  what: string,
  path: string,
  version: number | undefined,
  toServerPath: ToServerPath,
): WriteRequest<Extract<MultiOp, { type: T }>> {
  validatePath(path, what);
  const checked = checkVersion(version, `${what} ${path}`);
  const serverPath = toServerPath(path);
  const op = { type, path: serverPath, version: checked } as Extract<MultiOp, { type: T }>;
  return { path, op, bodyBytes: pathVersionBodyBytes(serverPath) };
}
