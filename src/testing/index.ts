/**
 * `rxzk/testing`: a real Apache ZooKeeper on demand, and the faults to test against it.
 * @module
 */
// The declarations speak of Node's types (Buffer, AbortSignal, NodeJS.*): this reference makes a
// consumer's compiler load them even with `types: []`; `preserve` keeps it in the emitted .d.ts.
/// <reference types="node" preserve="true" />
export { startZooKeeper, type StartZooKeeperOptions } from './start-zookeeper.js';
export type { TestingZooKeeper, ZooKeeperSource } from './testing-zookeeper.js';
export { findZooKeeper, type ZooKeeperInstallation } from './find-zookeeper.js';
export { UnsupportedByZooKeeperSourceError, ZooKeeperNotFoundError } from '../errors/tool-errors.js';
export { faultProxy, type FaultProxy, type FaultProxyMode, type ProxiedRequest } from './fault-proxy.js';
export { expireSession, type ExpireSessionOptions, type SessionHolder } from './expire-session.js';
export { ZOOKEEPER_IMAGE } from './container-zookeeper.js';
export { freePort } from './free-port.js';
