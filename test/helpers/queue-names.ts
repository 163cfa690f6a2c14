import type { Stat } from '../../src/index.js';
import { protectedPrefix } from '../../src/index.js';

/** A protected sequential node name as ZooKeeper would hand it back (fixed uuid and session). */
export function queueName(id: string, sequence: number, uuidTail = sequence): string {
  const uuid = `00000000-0000-4000-8000-${String(uuidTail).padStart(12, '0')}`;
  return `${protectedPrefix(uuid, '1a2b', id)}${String(sequence).padStart(10, '0')}`;
}

/** A stat with the given czxid, owned by `owner`. */
export function statOf(czxid: number, owner = '1a2b'): Stat {
  return {
    czxid: BigInt(czxid),
    mzxid: BigInt(czxid),
    pzxid: BigInt(czxid),
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: owner,
    dataLength: 0,
    numChildren: 0,
  };
}
