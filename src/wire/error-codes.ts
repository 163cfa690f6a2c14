/**
 * ZooKeeper's error codes (`KeeperException.Code`), 3.4 through 3.9. A code missing here (a later
 * server's) is still passed on as a number: nothing in the wire layer depends on knowing it.
 */
export const ErrorCode = {
  ok: 0,
  systemError: -1,
  runtimeInconsistency: -2,
  dataInconsistency: -3,
  connectionLoss: -4,
  marshallingError: -5,
  unimplemented: -6,
  operationTimeout: -7,
  badArguments: -8,
  /** 3.5+ */
  unknownSession: -12,
  /** 3.5+ */
  newConfigNoQuorum: -13,
  /** 3.5+ */
  reconfigInProgress: -14,
  apiError: -100,
  noNode: -101,
  noAuth: -102,
  badVersion: -103,
  noChildrenForEphemerals: -108,
  nodeExists: -110,
  notEmpty: -111,
  sessionExpired: -112,
  invalidCallback: -113,
  invalidACL: -114,
  authFailed: -115,
  sessionMoved: -118,
  notReadOnly: -119,
  /** 3.5+ */
  ephemeralOnLocalSession: -120,
  /** 3.5+ */
  noWatcher: -121,
  /** 3.6+ */
  requestTimeout: -122,
  /** 3.5.3+ */
  reconfigDisabled: -123,
  /** 3.6+ */
  sessionClosedRequireSaslAuth: -124,
  /** 3.7+ */
  quotaExceeded: -125,
  /** 3.7+ */
  throttledOp: -127,
} as const;

const NAMES = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));

/** The code's name (`'noNode'`), or `'code <n>'` for a code this table does not know. */
export function errorCodeName(code: number): string {
  return NAMES.get(code) ?? `code ${code}`;
}
