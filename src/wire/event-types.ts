/**
 * Types of the events a watch delivers (`Watcher.Event.EventType`). The server sends 1 to 4; 5 to
 * 7 are made by the client when it removes a watch (as the Java client does), so a watcher hears
 * that it will hear nothing more.
 */
export const EventType = {
  none: -1,
  nodeCreated: 1,
  nodeDeleted: 2,
  nodeDataChanged: 3,
  nodeChildrenChanged: 4,
  dataWatchRemoved: 5,
  childWatchRemoved: 6,
  persistentWatchRemoved: 7,
} as const;

export type EventTypeCode = (typeof EventType)[keyof typeof EventType];

/**
 * The session state a watch event carries (`Watcher.Event.KeeperState`). Server notifications
 * carry `syncConnected`; the others are the Java client's own states, listed for reference.
 */
export const KeeperState = {
  unknown: -1,
  disconnected: 0,
  noSyncConnected: 1,
  syncConnected: 3,
  authFailed: 4,
  connectedReadOnly: 5,
  saslAuthenticated: 6,
  expired: -112,
  closed: 7,
} as const;

/** Which watches a removeWatches / checkWatches request is about (`Watcher.WatcherType`). */
export const WatcherType = {
  children: 1,
  data: 2,
  any: 3,
  /** 3.6+. */
  persistent: 4,
  /** 3.6+. */
  persistentRecursive: 5,
} as const;

export type WatcherTypeCode = (typeof WatcherType)[keyof typeof WatcherType];

/** The mode of an addWatch request (`ZooDefs.AddWatchModes`), 3.6+. */
export const AddWatchMode = {
  persistent: 0,
  persistentRecursive: 1,
} as const;

export type AddWatchModeCode = (typeof AddWatchMode)[keyof typeof AddWatchMode];

/**
 * Whether an event only says that a watch was removed on the client's request (`*WatchRemoved`):
 * it tells nothing about the node.
 */
export function isWatchRemoval(type: EventTypeCode): boolean {
  return type === EventType.dataWatchRemoved || type === EventType.childWatchRemoved || type === EventType.persistentWatchRemoved;
}
