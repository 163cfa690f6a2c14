import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ACL } from '../../../src/model/acl.js';
import type { Stat } from '../../../src/model/stat.js';
import { findZooKeeper } from '../../../src/testing/find-zookeeper.js';
import { CreateMode } from '../../../src/wire/create-modes.js';
import { JuteReader } from '../../../src/wire/jute-reader.js';
import { JuteWriter } from '../../../src/wire/jute-writer.js';
import { OpCode, Xid } from '../../../src/wire/opcodes.js';
import {
  writeAddWatch,
  writeAuth,
  writeConnectRequest,
  writeCreate,
  writeHeader,
  writeMulti,
  writeMultiRead,
  writePath,
  writePathVersion,
  writePathWatch,
  writeSetACL,
  writeSetData,
  writeSetWatches,
  writeWatchType,
} from '../../../src/wire/requests.js';
import {
  readChildren,
  readChildren2,
  readConnectResponse,
  readCreate,
  readGetACL,
  readGetData,
  readMulti,
  readMultiRead,
  readStat,
  readWatcherEvent,
  readWhoAmI,
} from '../../../src/wire/responses.js';
import { notificationFrame, replyFrame, writeACLs, writeMultiHeader, writeStat } from '../../helpers/wire-frames.js';

// The values of test/helpers/jute-golden/JuteGolden.java: change both together.
const PATH = '/golden/é/日本';
const ASTRAL = '/golden/😀/x';
const PASSWD = Buffer.from(Array.from({ length: 16 }, (_, i) => (i * 17) & 0xff));
const DATA = Buffer.from([1, 2, 3, 0, 255]);
const ACLS: ACL[] = [
  { perms: 31, scheme: 'world', id: 'anyone' },
  { perms: 3, scheme: 'digest', id: 'user:pw0=' },
];
const stat = (ephemeralOwner: string): Stat => ({
  czxid: 0x1_0000_0002n,
  mzxid: 0x1_0000_0005n,
  pzxid: 0x1_0000_0003n,
  ctime: 1_795_241_655_301,
  mtime: 1_795_241_655_999,
  version: 3,
  cversion: 1,
  aversion: 2,
  ephemeralOwner,
  dataLength: 64,
  numChildren: 2,
});

function framed(write: (w: JuteWriter) => void): Buffer {
  const w = new JuteWriter();
  write(w);
  return Buffer.from(w.take()!);
}

function request(xid: number, type: number, body?: (w: JuteWriter) => void): Buffer {
  return framed((w) => {
    w.beginFrame();
    writeHeader(w, xid, type);
    body?.(w);
    w.endFrame();
  });
}

/** Every request as rxzk's encoders write it. */
const REQUESTS: Record<string, Buffer> = {
  connect: framed((w) =>
    writeConnectRequest(w, {
      lastZxidHigh: 1,
      lastZxidLow: 5,
      timeoutMs: 30_000,
      sessionId: Buffer.from('0123456789abcdef', 'hex'),
      password: PASSWD,
      readOnly: true,
    }),
  ),
  'connect-new': framed((w) =>
    writeConnectRequest(w, { lastZxidHigh: 0, lastZxidLow: 0, timeoutMs: 6000, sessionId: Buffer.alloc(8), password: Buffer.alloc(16), readOnly: false }),
  ),
  create: request(1, OpCode.create, (w) => writeCreate(w, PATH, DATA, ACLS, CreateMode.ephemeralSequential, 0)),
  create2: request(2, OpCode.create2, (w) => writeCreate(w, PATH, null, ACLS, CreateMode.persistent, 0)),
  createContainer: request(3, OpCode.createContainer, (w) => writeCreate(w, PATH, Buffer.alloc(0), ACLS, CreateMode.container, 0)),
  createTTL: request(4, OpCode.createTTL, (w) => writeCreate(w, PATH, DATA, ACLS, CreateMode.persistentSequentialWithTTL, 123_456_789_012)),
  delete: request(5, OpCode.delete, (w) => writePathVersion(w, PATH, 5)),
  exists: request(6, OpCode.exists, (w) => writePathWatch(w, PATH, true)),
  getData: request(7, OpCode.getData, (w) => writePathWatch(w, PATH, false)),
  setData: request(8, OpCode.setData, (w) => writeSetData(w, PATH, DATA, -1)),
  getACL: request(9, OpCode.getACL, (w) => writePath(w, PATH)),
  setACL: request(10, OpCode.setACL, (w) => writeSetACL(w, PATH, ACLS, 2)),
  getChildren: request(11, OpCode.getChildren, (w) => writePathWatch(w, PATH, true)),
  sync: request(12, OpCode.sync, (w) => writePath(w, PATH)),
  ping: request(Xid.ping, OpCode.ping),
  getChildren2: request(13, OpCode.getChildren2, (w) => writePathWatch(w, PATH, false)),
  multi: request(14, OpCode.multi, (w) =>
    writeMulti(w, [
      { type: 'create', path: `${PATH}/a`, data: DATA, acl: ACLS, mode: CreateMode.persistentSequential },
      { type: 'create', path: `${PATH}/c`, data: null, acl: ACLS, mode: CreateMode.container },
      { type: 'create', path: `${PATH}/t`, data: DATA, acl: ACLS, mode: CreateMode.persistentWithTTL, ttlMs: 5000 },
      { type: 'delete', path: `${PATH}/b`, version: 3 },
      { type: 'setData', path: PATH, data: DATA, version: -1 },
      { type: 'check', path: PATH, version: 4 },
    ]),
  ),
  'multi-empty': request(15, OpCode.multi, (w) => writeMulti(w, [])),
  multiRead: request(16, OpCode.multiRead, (w) =>
    writeMultiRead(w, [
      { type: 'getData', path: PATH },
      { type: 'getChildren', path: `${PATH}/x` },
    ]),
  ),
  checkWatches: request(17, OpCode.checkWatches, (w) => writeWatchType(w, PATH, 1)),
  removeWatches: request(18, OpCode.removeWatches, (w) => writeWatchType(w, PATH, 3)),
  auth: request(Xid.auth, OpCode.auth, (w) => writeAuth(w, 'digest', Buffer.from('user:pw'))),
  setWatches: request(Xid.setWatches, OpCode.setWatches, (w) =>
    writeSetWatches(w, 1, 7, { data: ['/d1', PATH], exist: ['/e1'], child: [], persistent: [], persistentRecursive: [] }, false),
  ),
  setWatches2: request(Xid.setWatches, OpCode.setWatches2, (w) =>
    writeSetWatches(w, 1, 7, { data: ['/d1'], exist: [], child: ['/c1'], persistent: ['/p1', '/p2'], persistentRecursive: [PATH] }, true),
  ),
  getEphemerals: request(19, OpCode.getEphemerals, (w) => writePath(w, '/golden/')),
  getAllChildrenNumber: request(20, OpCode.getAllChildrenNumber, (w) => writePath(w, PATH)),
  addWatch: request(21, OpCode.addWatch, (w) => writeAddWatch(w, PATH, 1)),
  whoAmI: request(22, OpCode.whoAmI),
  closeSession: request(23, OpCode.closeSession),
};

/** Every response, as the test's server-side encoder writes it (to be read back by Java). */
const RESPONSES: Record<string, Buffer> = {
  'r-connect': framed((w) => {
    w.beginFrame();
    w.int(0);
    w.int(20_000);
    w.long(0x0123_4567_89ab_cdefn);
    w.buffer(PASSWD);
    w.boolean(true);
    w.endFrame();
  }),
  'r-error': replyFrame(5, 0x1_0000_0009n, -101),
  'r-stat': replyFrame(8, 0x1_0000_0009n, 0, (w) => writeStat(w, stat('1000000ab'))),
  'r-getData': replyFrame(7, 0x1_0000_0009n, 0, (w) => {
    w.buffer(DATA);
    writeStat(w, stat('0'));
  }),
  'r-getChildren2': replyFrame(13, 0x1_0000_0009n, 0, (w) => {
    w.strings(['x']);
    writeStat(w, stat('0'));
  }),
  'r-getACL': replyFrame(9, 0x1_0000_0009n, 0, (w) => {
    writeACLs(w, ACLS);
    writeStat(w, stat('0'));
  }),
  'r-multi-failed': replyFrame(14, 0x1_0000_000bn, 0, (w) => {
    for (const err of [0, -103, -2]) {
      writeMultiHeader(w, -1, false, err);
      w.int(err);
    }
    writeMultiHeader(w, -1, true, -1);
  }),
  'r-notification': notificationFrame(3, PATH),
};

/** What rxzk's decoders must read from each of Java's responses. */
const DECODED: Record<string, { read: (r: JuteReader) => unknown; value: unknown }> = {
  'r-stat': { read: readStat, value: stat('1000000ab') },
  'r-exists': { read: readStat, value: stat('0') },
  'r-getData': { read: readGetData, value: { data: DATA, stat: stat('0') } },
  'r-getData-null': { read: readGetData, value: { data: null, stat: stat('ffffffffffffffff') } },
  'r-getChildren': { read: readChildren, value: ['a', 'é', 'zookeeper'] },
  'r-getChildren2': { read: readChildren2, value: { children: ['x'], stat: stat('0') } },
  'r-getACL': { read: readGetACL, value: { acl: ACLS, stat: stat('0') } },
  'r-create': { read: (r) => readCreate(r, false), value: { path: `${PATH}0000000001`, stat: null } },
  'r-create2': { read: (r) => readCreate(r, true), value: { path: PATH, stat: stat('0') } },
  'r-create-astral': { read: (r) => readCreate(r, false), value: { path: ASTRAL, stat: null } },
  'r-sync': { read: (r) => r.string(), value: PATH },
  'r-multi': {
    read: readMulti,
    value: [
      { type: 'create', path: `${PATH}/a0000000007`, stat: null },
      { type: 'create', path: `${PATH}/c`, stat: stat('0') },
      { type: 'delete' },
      { type: 'setData', stat: stat('0') },
      { type: 'check' },
    ],
  },
  'r-multi-failed': {
    read: readMulti,
    value: [
      { type: 'error', code: 0 },
      { type: 'error', code: -103 },
      { type: 'error', code: -2 },
    ],
  },
  'r-multiRead': {
    read: readMultiRead,
    value: [
      { type: 'getData', data: DATA, stat: stat('0') },
      { type: 'getChildren', children: ['k1', 'k2'] },
      { type: 'error', code: -101 },
    ],
  },
  'r-getEphemerals': { read: readChildren, value: ['/golden/e1', '/golden/e2'] },
  'r-getAllChildrenNumber': { read: (r) => r.int(), value: 70_000 },
  'r-addWatch': { read: (r) => r.int(), value: 0 },
  'r-whoAmI': {
    read: readWhoAmI,
    value: [
      { scheme: 'ip', id: '127.0.0.1' },
      { scheme: 'digest', id: 'user' },
    ],
  },
  'r-notification': { read: readWatcherEvent, value: { type: 3, state: 3, path: PATH } },
};

const REPLY_HEADERS: Record<string, { xid: number; zxid: bigint; err: number }> = {
  'r-error': { xid: 5, zxid: 0x1_0000_0009n, err: -101 },
  'r-notification': { xid: -1, zxid: -1n, err: 0 },
  'r-ping': { xid: -2, zxid: 0x1_0000_000bn, err: 0 },
  'r-auth-failed': { xid: -4, zxid: 0n, err: -115 },
};

let golden = new Map<string, Buffer>();
let again = new Map<string, Buffer>();
const failures: string[] = [];
let workDir = '';

beforeAll(() => {
  const installation = findZooKeeper();
  const javac = [
    join(dirname(realpathSync(installation.java)), 'javac'),
    ...(process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, 'javac')),
  ].find((p) => existsSync(p));
  if (!javac) {
    throw new Error(`golden bytes need javac (a JDK, not only a JRE), beside ${installation.java} or on PATH: apt-get install -y default-jdk-headless`);
  }
  const source = join(dirname(fileURLToPath(import.meta.url)), '../../helpers/jute-golden/JuteGolden.java');
  workDir = mkdtempSync(join(tmpdir(), 'rxzk-jute-golden-'));
  const compiled = spawnSync(javac, ['-nowarn', '-cp', installation.classPath, '-d', workDir, source], { encoding: 'utf8' });
  if (compiled.status !== 0) throw new Error(`javac failed:\n${compiled.stderr}`);
  const input = [...Object.entries(REQUESTS), ...Object.entries(RESPONSES), ['astral', astralRequest()] as const]
    .map(([name, bytes]) => `${name} ${bytes.toString('hex')}`)
    .join('\n');
  const run = spawnSync(installation.java, ['-cp', [workDir, installation.classPath].join(delimiter), 'JuteGolden'], {
    input,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`JuteGolden failed (${run.status}):\n${run.stderr}`);
  golden = new Map();
  again = new Map();
  for (const line of run.stdout.split('\n')) {
    const [kind, name, ...rest] = line.split(' ');
    if (kind === 'golden') golden.set(name!, Buffer.from(rest[0]!, 'hex'));
    else if (kind === 'again') again.set(name!, Buffer.from(rest[0]!, 'hex'));
    else if (kind === 'error') failures.push(`${name}: ${rest.join(' ')}`);
  }
}, 120_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** A create of a path beyond the BMP (not a golden case: there rxzk's bytes differ from jute's on purpose). */
function astralRequest(): Buffer {
  return request(1, OpCode.create, (w) => writeCreate(w, ASTRAL, null, ACLS, 0, 0));
}

function readerAfterHeader(frame: Buffer): JuteReader {
  const r = new JuteReader().reset(frame, 4, frame.length);
  r.int();
  r.long();
  r.int();
  return r;
}

describe('golden bytes: rxzk and ZooKeeper 3.8 jute classes', () => {
  it('the Java side read every frame of ours', () => {
    expect(failures).toEqual([]);
  });

  it.each(Object.keys(REQUESTS))('request %s: our bytes are the Java client\'s, and Java reads them whole', (name) => {
    const ours = REQUESTS[name]!;
    expect(golden.get(name)?.toString('hex'), 'the Java helper made no such case').toBeDefined();
    expect(ours.toString('hex')).toBe(golden.get(name)!.toString('hex'));
    expect(again.get(name)?.toString('hex')).toBe(ours.toString('hex'));
  });

  it.each(Object.keys(DECODED))('response %s: we read what the Java server side wrote', (name) => {
    const frame = golden.get(name);
    expect(frame, 'the Java helper made no such case').toBeDefined();
    const r = readerAfterHeader(frame!);
    expect(DECODED[name]!.read(r)).toEqual(DECODED[name]!.value);
    expect(r.remaining).toBe(0);
  });

  it.each(Object.keys(RESPONSES))('response %s: our server-side bytes are Java\'s, and Java reads them whole', (name) => {
    expect(RESPONSES[name]!.toString('hex')).toBe(golden.get(name)?.toString('hex'));
    expect(again.get(name)?.toString('hex')).toBe(RESPONSES[name]!.toString('hex'));
  });

  it.each(Object.keys(REPLY_HEADERS))('reply header %s', (name) => {
    const frame = golden.get(name)!;
    const r = new JuteReader().reset(frame, 4, frame.length);
    expect({ xid: r.int(), zxid: r.long(), err: r.int() }).toEqual(REPLY_HEADERS[name]);
  });

  it('connect responses: with the read-only flag, without it (older servers), and expired', () => {
    const read = (name: string) => {
      const frame = golden.get(name)!;
      return readConnectResponse(new JuteReader().reset(frame, 4, frame.length));
    };
    expect(read('r-connect')).toEqual({
      protocolVersion: 0,
      timeoutMs: 20_000,
      sessionId: Buffer.from('0123456789abcdef', 'hex'),
      password: PASSWD,
      readOnly: true,
    });
    expect(read('r-connect-old')).toMatchObject({ timeoutMs: 4000, sessionId: Buffer.from('0000000000000042', 'hex'), readOnly: false });
    expect(read('r-connect-expired').timeoutMs).toBe(0);
  });

  it('beyond the BMP: we write standard UTF-8, which Java reads as the character (its own bytes would read as U+FFFD)', () => {
    const javaAgain = again.get('astral');
    expect(javaAgain).toBeDefined();
    // Java wrote the path back in jute's own way (CESU-8): we read that as the same path.
    const r = new JuteReader().reset(javaAgain!, 12, javaAgain!.length);
    expect(r.string()).toBe(ASTRAL);
    expect(javaAgain!.includes(Buffer.from([0xed, 0xa0, 0xbd]))).toBe(true);
    expect(astralRequest().includes(Buffer.from('😀'))).toBe(true);
  });
});
