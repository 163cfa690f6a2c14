import { fourLetter, parseSrvr } from '../admin/four-letter.js';
import type { ConnectionOptions } from 'node:tls';

/** A ZooKeeper server's version, as `srvr` reports it (`3.8.0`). */
export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As reported, e.g. `'3.8.0'`. */
  readonly text: string;
}

/**
 * What a request may need of the server beyond 3.4, and the first release that has it (from
 * `ZooDefs.OpCode` and `KeeperException` of each release).
 */
export const FEATURE_SINCE = {
  create2: '3.5.0',
  removeWatches: '3.5.0',
  checkWatches: '3.5.0',
  /** getData on `/zookeeper/config`, the dynamic configuration node. */
  getConfig: '3.5.0',
  createContainer: '3.5.1',
  createTTL: '3.5.3',
  multiRead: '3.6.0',
  getEphemerals: '3.6.0',
  getAllChildrenNumber: '3.6.0',
  addWatch: '3.6.0',
  /** Re-registering persistent watches on a new connection. */
  setWatches2: '3.6.0',
  /**
   * removeWatches / checkWatches of the persistent kinds (ZOOKEEPER-4472). Before it, a server
   * drops persistent watches only with the rest of a path's watches (`any`).
   */
  removePersistentWatches: '3.9.0',
  whoAmI: '3.7.0',
} as const;

export type WireFeature = keyof typeof FEATURE_SINCE;

/** Reads `3.8.0`, `3.9.2-SNAPSHOT`, `3.4.14-4c25d480e66aadd371de8bd2fd8da255ac140bcf`...; null if it is none. */
export function parseServerVersion(text: string): ServerVersion | null {
  const match = /^\s*(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), text: match[0].trim() };
}

/** Whether a server of `version` implements `feature`. */
export function supports(version: ServerVersion, feature: WireFeature): boolean {
  const needed = parseServerVersion(FEATURE_SINCE[feature])!;
  if (version.major !== needed.major) return version.major > needed.major;
  if (version.minor !== needed.minor) return version.minor > needed.minor;
  return version.patch >= needed.patch;
}

/**
 * Asks the server at `address` its version with the `srvr` command (every version answers it:
 * it is in the default `4lw.commands.whitelist` since 3.5.3, and 3.4 allows every command).
 * Resolves with null if it cannot tell (refused, not whitelisted, timed out, no version line).
 */
export async function probeServerVersion(
  address: string,
  options: { timeoutMs: number; tls?: ConnectionOptions | undefined },
): Promise<ServerVersion | null> {
  try {
    const reply = await fourLetter(address, 'srvr', { timeoutMs: options.timeoutMs, tls: options.tls });
    return parseServerVersion(parseSrvr(reply).version);
  } catch {
    return null;
  }
}
