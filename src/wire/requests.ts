/**
 * Encoders of ZooKeeper's client requests, one per record of `zookeeper.jute`, written by hand:
 * each writes its fields in the record's order straight into the frame, nothing in between.
 * Field order and types are checked byte for byte against ZooKeeper's own jute classes by
 * `test/unit/wire/golden-bytes.test.ts`.
 */
import type { ACL } from '../model/acl.js';
import { createOpcode, isTTLMode } from './create-modes.js';
import type { JuteWriter } from './jute-writer.js';
import { OpCode } from './opcodes.js';
import type { MultiOp, MultiReadOp } from './wire-client.js';

/**
 * ConnectRequest, the first frame of a connection (no request header), followed by the
 * `readOnly` flag, which ClientCnxn always appends (3.4+ servers read it; the record itself has
 * it only from 3.9's jute).
 */
export function writeConnectRequest(
  w: JuteWriter,
  request: {
    readonly lastZxidHigh: number;
    readonly lastZxidLow: number;
    readonly timeoutMs: number;
    /** 8 bytes; zeros to start a new session. */
    readonly sessionId: Buffer;
    /** 16 bytes; zeros to start a new session. */
    readonly password: Buffer;
    readonly readOnly: boolean;
  },
): void {
  w.beginFrame();
  w.int(0); // protocolVersion
  w.longHalves(request.lastZxidHigh, request.lastZxidLow);
  w.int(request.timeoutMs);
  w.longBytes(request.sessionId);
  w.buffer(request.password);
  w.boolean(request.readOnly);
  w.endFrame();
}

/** RequestHeader. */
export function writeHeader(w: JuteWriter, xid: number, type: number): void {
  w.int(xid);
  w.int(type);
}

/** ExistsRequest, GetDataRequest, GetChildrenRequest, GetChildren2Request: `path`, `watch`. */
export function writePathWatch(w: JuteWriter, path: string, watch: boolean): void {
  w.string(path);
  w.boolean(watch);
}

/**
 * A request of just a path: GetACLRequest, SyncRequest, GetAllChildrenNumberRequest,
 * GetEphemeralsRequest (`prefixPath`).
 */
export function writePath(w: JuteWriter, path: string): void {
  w.string(path);
}

/** DeleteRequest, CheckVersionRequest: `path`, `version`. */
export function writePathVersion(w: JuteWriter, path: string, version: number): void {
  w.string(path);
  w.int(version);
}

/** CreateRequest (create, create2, createContainer), or CreateTTLRequest when `mode` is a TTL mode. */
export function writeCreate(
  w: JuteWriter,
  path: string,
  data: Uint8Array | null,
  acl: readonly ACL[],
  mode: number,
  ttlMs: number,
): void {
  w.string(path);
  w.buffer(data);
  writeACL(w, acl);
  w.int(mode);
  if (isTTLMode(mode)) w.longNumber(ttlMs);
}

/** SetDataRequest. */
export function writeSetData(w: JuteWriter, path: string, data: Uint8Array | null, version: number): void {
  w.string(path);
  w.buffer(data);
  w.int(version);
}

/** SetACLRequest. */
export function writeSetACL(w: JuteWriter, path: string, acl: readonly ACL[], version: number): void {
  w.string(path);
  writeACL(w, acl);
  w.int(version);
}

/** `vector<ACL>`: each `perms`, then its Id (`scheme`, `id`). */
export function writeACL(w: JuteWriter, acl: readonly ACL[]): void {
  w.int(acl.length);
  for (const entry of acl) {
    w.int(entry.perms);
    w.string(entry.scheme);
    w.string(entry.id);
  }
}

/** AuthPacket (`type` is always 0). */
export function writeAuth(w: JuteWriter, scheme: string, auth: Uint8Array): void {
  w.int(0);
  w.string(scheme);
  w.buffer(auth);
}

/** AddWatchRequest. */
export function writeAddWatch(w: JuteWriter, path: string, mode: number): void {
  w.string(path);
  w.int(mode);
}

/** RemoveWatchesRequest, CheckWatchesRequest: `path`, `type` (a WatcherType). */
export function writeWatchType(w: JuteWriter, path: string, type: number): void {
  w.string(path);
  w.int(type);
}

/** The watched paths of a SetWatches (three lists) or SetWatches2 (five). */
export interface WatchLists {
  readonly data: readonly string[];
  readonly exist: readonly string[];
  readonly child: readonly string[];
  readonly persistent: readonly string[];
  readonly persistentRecursive: readonly string[];
}

/** SetWatches, or SetWatches2 when `two` (3.6+: also the persistent lists). */
export function writeSetWatches(w: JuteWriter, relativeZxidHigh: number, relativeZxidLow: number, lists: WatchLists, two: boolean): void {
  w.longHalves(relativeZxidHigh, relativeZxidLow);
  w.strings(lists.data);
  w.strings(lists.exist);
  w.strings(lists.child);
  if (two) {
    w.strings(lists.persistent);
    w.strings(lists.persistentRecursive);
  }
}

/** MultiHeader. */
function writeMultiHeader(w: JuteWriter, type: number, done: boolean, err: number): void {
  w.int(type);
  w.boolean(done);
  w.int(err);
}

/** The request type of a multi step (as MultiOperationRecord writes it). */
export function multiOpcode(op: MultiOp): number {
  switch (op.type) {
    case 'create':
      return createOpcode(op.mode, op.withStat ?? false);
    case 'delete':
      return OpCode.delete;
    case 'setData':
      return OpCode.setData;
    case 'check':
      return OpCode.check;
  }
}

/** MultiOperationRecord of a multi: each step as a MultiHeader (err -1) and its record, then a done header. */
export function writeMulti(w: JuteWriter, ops: readonly MultiOp[]): void {
  for (const op of ops) {
    writeMultiHeader(w, multiOpcode(op), false, -1);
    switch (op.type) {
      case 'create':
        writeCreate(w, op.path, op.data, op.acl, op.mode, op.ttlMs ?? 0);
        break;
      case 'delete':
      case 'check':
        writePathVersion(w, op.path, op.version);
        break;
      case 'setData':
        writeSetData(w, op.path, op.data, op.version);
        break;
    }
  }
  writeMultiHeader(w, -1, true, -1);
}

/** MultiOperationRecord of a multiRead: getData and getChildren steps (their `watch` false). */
export function writeMultiRead(w: JuteWriter, ops: readonly MultiReadOp[]): void {
  for (const op of ops) {
    writeMultiHeader(w, op.type === 'getData' ? OpCode.getData : OpCode.getChildren, false, -1);
    writePathWatch(w, op.path, false);
  }
  writeMultiHeader(w, -1, true, -1);
}
