import type { Stat } from './stat.js';

/** A {@link Stat} as JSON can carry it: zxids as decimal strings (they are 64-bit). */
export interface StatJson {
  czxid: string;
  mzxid: string;
  pzxid: string;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: string;
  dataLength: number;
  numChildren: number;
}

/**
 * A stat for `JSON.stringify`, which throws on bigints: the zxids as decimal strings (as the
 * `rxzk` command line prints them), everything else as it is.
 *
 * ## Example
 * ```ts
 * import { statToJson } from 'rxzk';
 * const node = await zk.get('/app/config');
 * console.log(JSON.stringify(statToJson(node.stat)));
 * // Logs: {"czxid":"4294967302","mzxid":"4294967311",...,"version":4,...}
 * ```
 */
export function statToJson(stat: Stat): StatJson {
  return {
    czxid: stat.czxid.toString(),
    mzxid: stat.mzxid.toString(),
    pzxid: stat.pzxid.toString(),
    ctime: stat.ctime,
    mtime: stat.mtime,
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: stat.ephemeralOwner,
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

/**
 * A replacer for `JSON.stringify` that writes every bigint (zxids, fencing tokens) as a decimal
 * string, so that stats, lock states and leases can be logged as they are.
 *
 * ## Example
 * ```ts
 * import { jsonReplacer } from 'rxzk';
 * console.log(JSON.stringify({ state: 'acquired', fencingToken: 4294967302n }, jsonReplacer));
 * // Logs: {"state":"acquired","fencingToken":"4294967302"}
 * ```
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
