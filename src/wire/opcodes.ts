/**
 * Request types of ZooKeeper's client protocol (`ZooDefs.OpCode`), 3.4 through 3.9. Which server
 * version first knows each is in `server-version.ts`.
 */
export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  /** Only inside a multi: a server refuses it on its own. */
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  /** The type of a failed step in a multi's results. */
  error: -1,
} as const;

/**
 * The xids ZooKeeper reserves (`ClientCnxn`): replies and messages that answer no numbered
 * request. Requests are numbered from 1 up.
 */
export const Xid = {
  /** A watch event from the server. */
  notification: -1,
  /** A ping and its reply. */
  ping: -2,
  /** An auth packet and its reply (answered at once by the server, ahead of queued requests). */
  auth: -4,
  /** SetWatches / SetWatches2 and their replies. */
  setWatches: -8,
} as const;
