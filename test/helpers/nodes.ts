import type { Stat, ZNode } from '../../src/index.js';

/** A Stat for marble tests: `czxid` says which incarnation, `mzxid` which data change. */
export function stat(czxid: number, mzxid: number, fields: Partial<Stat> = {}): Stat {
  return {
    czxid: BigInt(czxid),
    mzxid: BigInt(mzxid),
    pzxid: BigInt(czxid),
    ctime: 0,
    mtime: 0,
    version: mzxid - czxid,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: '0',
    dataLength: 0,
    numChildren: 0,
    ...fields,
  };
}

/** A ZNode for marble tests. */
export function znode(path: string, data: string | Buffer, czxid = 1, mzxid = czxid): ZNode {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { path, data: bytes, stat: stat(czxid, mzxid, { dataLength: bytes.length }) };
}
