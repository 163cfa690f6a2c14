/**
 * The small things every recipe does to a node, each written once. Each settles the one
 * outcome it names and lets every other error through.
 */
import type { CreateOptions } from '../client/call-options.js';
import type { Data } from '../model/data.js';
import type { ZNode } from '../model/stat.js';
import type { ZkClient } from '../client/zk-client.js';
import { isNodeExists, isNoNode } from '../errors/recipe-errors.js';

/** Creates the node unless it exists; resolves whether this call made it. */
export async function createIfAbsent(zk: ZkClient, path: string, data?: Data | null, options?: CreateOptions): Promise<boolean> {
  try {
    await zk.create(path, data, options);
    return true;
  } catch (error) {
    if (isNodeExists(error)) return false;
    throw error;
  }
}

/**
 * Creates the node, or reads the one that was there first: resolves with `null` if this call
 * made it, or with the node it found (whoever creates it first decides what it holds).
 */
export async function createOrRead(zk: ZkClient, path: string, data?: Data | null, options?: CreateOptions): Promise<ZNode | null> {
  return (await createIfAbsent(zk, path, data, options)) ? null : zk.get(path);
}

/** Deletes the node unless it is gone already. */
export async function deleteIfPresent(zk: ZkClient, path: string, options?: { version?: number }): Promise<void> {
  try {
    await zk.delete(path, options);
  } catch (error) {
    if (!isNoNode(error)) throw error;
  }
}

/**
 * Deletes the node if it is there and `owns` accepts its ephemeral owner (a session id), at the
 * version read, so a node someone else made at the same path since is left alone.
 */
export async function deleteIfOwned(zk: ZkClient, path: string, owns: (ephemeralOwner: string) => boolean): Promise<void> {
  const stat = await zk.exists(path);
  if (stat && owns(stat.ephemeralOwner)) await deleteIfPresent(zk, path, { version: stat.version });
}

/** Reads the node; `null` if it does not exist. */
export async function getOrNull(zk: ZkClient, path: string): Promise<ZNode | null> {
  try {
    return await zk.get(path);
  } catch (error) {
    if (isNoNode(error)) return null;
    throw error;
  }
}

/** Lists the node's children; none if it does not exist. */
export async function childrenOrEmpty(zk: ZkClient, path: string): Promise<string[]> {
  try {
    return await zk.getChildren(path);
  } catch (error) {
    if (isNoNode(error)) return [];
    throw error;
  }
}
