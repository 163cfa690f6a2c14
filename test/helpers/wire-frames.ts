import type { ACL } from '../../src/model/acl.js';
import type { Stat } from '../../src/model/stat.js';
import { JuteWriter } from '../../src/wire/jute-writer.js';
import { Xid } from '../../src/wire/opcodes.js';

/**
 * Frames as a ZooKeeper server sends them, for tests that play the server's part (golden bytes,
 * injected events, garbage): a length, a ReplyHeader (`xid`, `zxid`, `err`), then the record.
 */
export function replyFrame(xid: number, zxid: bigint, err: number, body?: (w: JuteWriter) => void): Buffer {
  const w = new JuteWriter();
  w.beginFrame();
  w.int(xid);
  w.long(zxid);
  w.int(err);
  body?.(w);
  w.endFrame();
  return Buffer.from(w.take()!);
}

/** A watch event notification (xid -1, zxid -1 as servers send it): WatcherEvent `type`, `state`, `path`. */
export function notificationFrame(type: number, path: string, state = 3): Buffer {
  return replyFrame(Xid.notification, -1n, 0, (w) => {
    w.int(type);
    w.int(state);
    w.string(path);
  });
}

/** A Stat record, in its wire order. */
export function writeStat(w: JuteWriter, stat: Stat): void {
  w.long(stat.czxid);
  w.long(stat.mzxid);
  w.longNumber(stat.ctime);
  w.longNumber(stat.mtime);
  w.int(stat.version);
  w.int(stat.cversion);
  w.int(stat.aversion);
  w.long(BigInt.asIntN(64, BigInt(`0x${stat.ephemeralOwner}`)));
  w.int(stat.dataLength);
  w.int(stat.numChildren);
  w.long(stat.pzxid);
}

/** A `vector<ACL>`. */
export function writeACLs(w: JuteWriter, acl: readonly ACL[]): void {
  w.int(acl.length);
  for (const a of acl) {
    w.int(a.perms);
    w.string(a.scheme);
    w.string(a.id);
  }
}

/** A MultiHeader. */
export function writeMultiHeader(w: JuteWriter, type: number, done: boolean, err: number): void {
  w.int(type);
  w.boolean(done);
  w.int(err);
}
