// The fixtures of the tests that need nodes without a server: stats, znodes, and the protected
// sequential names ZooKeeper hands back.
import type { Stat, ZNode } from '../../src/index.js';
import { protectedPrefix } from '../../src/advanced.js';

/**
 * A Stat for tests: `czxid` says which incarnation, `mzxid` which data change (the version is
 * `mzxid - czxid`); `fields` sets any other field.
 */
export function stat(czxid: number, mzxid = czxid, fields: Partial<Stat> = {}): Stat {
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

/** A ZNode for tests: its stat as {@link stat} makes it, with the data's length. */
export function znode(path: string, data: string | Buffer, czxid = 1, mzxid = czxid, fields: Partial<Stat> = {}): ZNode {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { path, data: bytes, stat: stat(czxid, mzxid, { dataLength: bytes.length, ...fields }) };
}

/**
 * A protected sequential node name as ZooKeeper would hand it back, for participant `id` at
 * `sequence`: made by `session` (default `1a2b`) with a fixed uuid whose tail is `uuidTail`
 * (default: the sequence).
 */
export function queueName(id: string, sequence: number, options: { session?: string; uuidTail?: number } = {}): string {
  const uuid = `00000000-0000-4000-8000-${String(options.uuidTail ?? sequence).padStart(12, '0')}`;
  return `${protectedPrefix(uuid, options.session ?? '1a2b', id)}${String(sequence).padStart(10, '0')}`;
}
