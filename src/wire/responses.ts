/**
 * Decoders of ZooKeeper's replies, one per record of `zookeeper.jute`, written by hand: each reads
 * the record's fields in order straight into the value rxzk uses (a Stat becomes rxzk's `Stat`,
 * an ACL entry rxzk's `ACL`). Every read is bounds-checked by the {@link JuteReader}.
 */
import type { ACL } from '../model/acl.js';
import type { Stat } from '../model/stat.js';
import type { JuteReader } from './jute-reader.js';
import { OpCode } from './opcodes.js';
import { ProtocolError } from './protocol-error.js';
import type { ClientIdentity, MultiReadResult, MultiResult } from './wire-client.js';

/** ConnectResponse, with the `readOnly` flag a 3.4+ server appends when the request had one. */
export interface ConnectResponse {
  readonly protocolVersion: number;
  /** The granted session timeout; 0 or less: the session has expired. */
  readonly timeoutMs: number;
  readonly sessionId: Buffer;
  readonly password: Buffer;
  readonly readOnly: boolean;
}

export function readConnectResponse(r: JuteReader): ConnectResponse {
  const protocolVersion = r.int();
  const timeoutMs = r.int();
  const sessionId = r.longBytes();
  const password = r.buffer() ?? Buffer.alloc(0);
  // Absent from servers that never read the flag (ZooKeeper's ProtocolManager reads it the same way).
  const readOnly = r.remaining > 0 ? r.boolean() : false;
  return { protocolVersion, timeoutMs, sessionId, password, readOnly };
}

/** Stat, straight into rxzk's {@link Stat} (its fields in the order rxzk's own `toStat` gives them). */
export function readStat(r: JuteReader): Stat {
  const czxid = r.long();
  const mzxid = r.long();
  const ctime = r.longNumber();
  const mtime = r.longNumber();
  const version = r.int();
  const cversion = r.int();
  const aversion = r.int();
  const ephemeralOwner = r.sessionIdHex();
  const dataLength = r.int();
  const numChildren = r.int();
  const pzxid = r.long();
  return { czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength, numChildren };
}

/** `vector<ACL>`. An entry takes at least 12 bytes (perms and two string lengths). */
export function readACL(r: JuteReader): ACL[] {
  const n = r.count(12, 'vector<ACL>');
  const acl = new Array<ACL>(n);
  for (let i = 0; i < n; i++) {
    const perms = r.int();
    const scheme = r.string();
    const id = r.string();
    acl[i] = { perms, scheme, id };
  }
  return acl;
}

/** GetDataResponse. */
export function readGetData(r: JuteReader): { data: Buffer | null; stat: Stat } {
  const data = r.buffer();
  return { data, stat: readStat(r) };
}

/** GetChildrenResponse (`children`); GetChildren2Response and GetEphemeralsResponse begin with it too. */
export function readChildren(r: JuteReader): string[] {
  return r.strings();
}

/** GetChildren2Response. */
export function readChildren2(r: JuteReader): { children: string[]; stat: Stat } {
  const children = r.strings();
  return { children, stat: readStat(r) };
}

/** GetACLResponse. */
export function readGetACL(r: JuteReader): { acl: ACL[]; stat: Stat } {
  const acl = readACL(r);
  return { acl, stat: readStat(r) };
}

/** CreateResponse (`path`), or Create2Response (`path`, `stat`) when `withStat`. */
export function readCreate(r: JuteReader, withStat: boolean): { path: string; stat: Stat | null } {
  const path = r.string();
  return { path, stat: withStat ? readStat(r) : null };
}

/** WhoAmIResponse: `vector<ClientInfo>` (`authScheme`, `user`). */
export function readWhoAmI(r: JuteReader): ClientIdentity[] {
  const n = r.count(8, 'vector<ClientInfo>');
  const ids = new Array<ClientIdentity>(n);
  for (let i = 0; i < n; i++) {
    const scheme = r.string();
    const id = r.string();
    ids[i] = { scheme, id };
  }
  return ids;
}

/** WatcherEvent (`type`, `state`, `path`). */
export function readWatcherEvent(r: JuteReader): { type: number; state: number; path: string } {
  const type = r.int();
  const state = r.int();
  const path = r.string();
  return { type, state, path };
}

/** MultiHeader. */
function readMultiHeader(r: JuteReader): { type: number; done: boolean; err: number } {
  const type = r.int();
  const done = r.boolean();
  const err = r.int();
  return { type, done, err };
}

/**
 * MultiResponse of a multi, as the Java client's MultiResponse reads it: until a done header, each
 * step's header and its record (create: CreateResponse; create2: Create2Response; setData:
 * SetDataResponse; delete and check: none; error: ErrorResponse). A type it does not know is a
 * protocol error, never a throw out of the socket handler.
 */
export function readMulti(r: JuteReader): MultiResult[] {
  const results: MultiResult[] = [];
  for (let h = readMultiHeader(r); !h.done; h = readMultiHeader(r)) {
    switch (h.type) {
      case OpCode.create:
        results.push({ type: 'create', path: r.string(), stat: null });
        break;
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL: {
        const path = r.string();
        results.push({ type: 'create', path, stat: readStat(r) });
        break;
      }
      case OpCode.delete:
      case OpCode.deleteContainer:
        results.push({ type: 'delete' });
        break;
      case OpCode.setData:
        results.push({ type: 'setData', stat: readStat(r) });
        break;
      case OpCode.check:
        results.push({ type: 'check' });
        break;
      case OpCode.error:
        results.push({ type: 'error', code: r.int() });
        break;
      default:
        throw new ProtocolError(`multi result of unknown type ${h.type}`);
    }
  }
  return results;
}

/** MultiResponse of a multiRead: getData (GetDataResponse), getChildren (GetChildrenResponse), error. */
export function readMultiRead(r: JuteReader): MultiReadResult[] {
  const results: MultiReadResult[] = [];
  for (let h = readMultiHeader(r); !h.done; h = readMultiHeader(r)) {
    switch (h.type) {
      case OpCode.getData: {
        const data = r.buffer();
        results.push({ type: 'getData', data, stat: readStat(r) });
        break;
      }
      case OpCode.getChildren:
        results.push({ type: 'getChildren', children: r.strings() });
        break;
      case OpCode.error:
        results.push({ type: 'error', code: r.int() });
        break;
      default:
        throw new ProtocolError(`multiRead result of unknown type ${h.type}`);
    }
  }
  return results;
}
