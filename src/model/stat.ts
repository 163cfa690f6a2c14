import { EMPTY_DATA } from './data.js';

/** A znode's metadata. Transaction ids are bigints; times are milliseconds since the epoch. */
export interface Stat {
  /** zxid of the transaction that created the node. */
  readonly czxid: bigint;
  /** zxid of the transaction that last changed the node's data. */
  readonly mzxid: bigint;
  /** zxid of the transaction that last changed the node's children. */
  readonly pzxid: bigint;
  /** When the node was created. */
  readonly ctime: number;
  /** When the node's data last changed. */
  readonly mtime: number;
  /** Number of changes to the node's data. */
  readonly version: number;
  /** Number of changes to the node's children. */
  readonly cversion: number;
  /** Number of changes to the node's ACL. */
  readonly aversion: number;
  /** Session id (hex) of the owner if the node is ephemeral, `'0'` otherwise. */
  readonly ephemeralOwner: string;
  readonly dataLength: number;
  readonly numChildren: number;
}

/** A znode's path, data and metadata. */
export interface ZNode {
  readonly path: string;
  readonly data: Buffer;
  readonly stat: Stat;
}

/** A node as a read of `path` returned it: no data (`null`) reads as an empty Buffer. */
export function toZNode(path: string, data: Buffer | null | undefined, stat: Stat): ZNode {
  return { path, data: data ?? EMPTY_DATA, stat };
}

/** An 8-byte session id as lower-case hex without leading zeros (`'0'` for none). */
export function sessionIdHex(id: Buffer): string {
  // Most nodes are persistent (owner 0): no bigint needed to say so.
  if (id.readUInt32BE(0) === 0 && id.readUInt32BE(4) === 0) return '0';
  return id.readBigUInt64BE(0).toString(16);
}
