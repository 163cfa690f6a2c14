import type { RawStat } from './raw-client.js';

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

export const EMPTY_DATA: Buffer = Buffer.alloc(0);

/** Converts the wire representation. */
export function toStat(raw: RawStat): Stat {
  return {
    czxid: raw.czxid.readBigInt64BE(0),
    mzxid: raw.mzxid.readBigInt64BE(0),
    pzxid: raw.pzxid.readBigInt64BE(0),
    ctime: Number(raw.ctime.readBigInt64BE(0)),
    mtime: Number(raw.mtime.readBigInt64BE(0)),
    version: raw.version,
    cversion: raw.cversion,
    aversion: raw.aversion,
    ephemeralOwner: sessionIdHex(raw.ephemeralOwner),
    dataLength: raw.dataLength,
    numChildren: raw.numChildren,
  };
}

/** An 8-byte session id as lower-case hex without leading zeros (`'0'` for none). */
export function sessionIdHex(id: Buffer): string {
  return id.readBigUInt64BE(0).toString(16);
}
