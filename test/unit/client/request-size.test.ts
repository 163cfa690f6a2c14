import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { digestACL, DataTooLargeError, OPEN_ACL_UNSAFE, Perms, type ACL } from '../../../src/index.js';
import { toRawACL } from '../../../src/wire/nzc/raw-client.js';
import { DEFAULT_MAX_REQUEST_BYTES } from '../../../src/client/options.js';
import { RAW_OPCODES, type RawTransactionOp } from '../../../src/wire/nzc/raw-client.js';
import {
  checkRequestSize,
  createBodyBytes,
  multiBodyBytes,
  pathVersionBodyBytes,
  readBodyBytes,
  setACLBodyBytes,
  setBodyBytes,
} from '../../../src/client/request-size.js';

/** The wire client's own encoder: what it would write on the socket, length prefix included. */
interface JuteRecord {
  [field: string]: unknown;
}
interface Jute {
  Request: new (header: JuteRecord, payload: JuteRecord) => { toBuffer(): Buffer };
  TransactionRequest: new (ops: RawTransactionOp[]) => JuteRecord;
  protocol: Record<string, new () => JuteRecord>;
  OP_CODES: Record<string, number>;
}
const jute = createRequire(import.meta.url)('node-zookeeper-client/lib/jute') as Jute;

/** Bytes of the frame the server reads for this request: everything after the 4-byte length. */
function framed(type: number, payload: JuteRecord): number {
  const header = new jute.protocol['RequestHeader']!();
  header['type'] = type;
  return new jute.Request(header, payload).toBuffer().length - 4;
}

function encodedCreate(path: string, data: Buffer | undefined, acl: readonly ACL[]): number {
  const payload = new jute.protocol['CreateRequest']!();
  payload['path'] = path;
  payload['data'] = data;
  payload['acl'] = toRawACL(acl).map((a) => (a as unknown as { toRecord(): JuteRecord }).toRecord());
  payload['flags'] = 0;
  return framed(jute.OP_CODES['CREATE']!, payload);
}

function encodedSet(path: string, data: Buffer): number {
  const payload = new jute.protocol['SetDataRequest']!();
  Object.assign(payload, { path, data, version: -1 });
  return framed(jute.OP_CODES['SET_DATA']!, payload);
}

function encodedDelete(path: string): number {
  const payload = new jute.protocol['DeleteRequest']!();
  Object.assign(payload, { path, version: 3 });
  return framed(jute.OP_CODES['DELETE']!, payload);
}

const HEADER = 8;
const paths = ['/a', '/rxzk/some/deeper/path-0000000042', '/ünïcödé/データ'];
const acls: (readonly ACL[])[] = [
  OPEN_ACL_UNSAFE,
  [digestACL('alice', 'secret', Perms.ALL), { perms: Perms.READ, scheme: 'world', id: 'anyone' }],
];

describe('request size accounting', () => {
  it('counts a create exactly as the wire client encodes it', () => {
    for (const path of paths) {
      for (const acl of acls) {
        for (const data of [undefined, Buffer.alloc(0), Buffer.from('héllo'), Buffer.alloc(70_000, 1)]) {
          expect(HEADER + createBodyBytes(path, data, acl), `${path} ${data?.length}`).toBe(encodedCreate(path, data, acl));
        }
      }
    }
  });

  it('counts a setData exactly as the wire client encodes it', () => {
    for (const path of paths) {
      for (const data of [Buffer.alloc(0), Buffer.from('wörld'), Buffer.alloc(70_000, 2)]) {
        expect(HEADER + setBodyBytes(path, data)).toBe(encodedSet(path, data));
      }
    }
  });

  it('counts a delete exactly as the wire client encodes it', () => {
    for (const path of paths) expect(HEADER + pathVersionBodyBytes(path)).toBe(encodedDelete(path));
  });

  it('counts a read (getData, exists, getChildren) and a setACL exactly as the wire client encodes them', () => {
    for (const path of paths) {
      for (const [op, request] of [
        ['GET_DATA', 'GetDataRequest'],
        ['EXISTS', 'ExistsRequest'],
        ['GET_CHILDREN2', 'GetChildren2Request'],
      ] as const) {
        const payload = new jute.protocol[request]!();
        Object.assign(payload, { path, watch: true });
        expect(HEADER + readBodyBytes(path), `${op} ${path}`).toBe(framed(jute.OP_CODES[op]!, payload));
      }
      for (const acl of acls) {
        const payload = new jute.protocol['SetACLRequest']!();
        payload['path'] = path;
        payload['acl'] = toRawACL(acl).map((a) => (a as unknown as { toRecord(): JuteRecord }).toRecord());
        payload['version'] = 1;
        expect(HEADER + setACLBodyBytes(path, acl)).toBe(framed(jute.OP_CODES['SET_ACL']!, payload));
      }
    }
  });

  it('counts a multi request exactly as the wire client encodes it', () => {
    const data = Buffer.alloc(1000, 3);
    const ops: RawTransactionOp[] = [
      { type: RAW_OPCODES.CHECK, path: paths[1]!, version: 2 },
      { type: RAW_OPCODES.CREATE, path: paths[2]!, data, acls: toRawACL(acls[1]!), mode: 0 },
      { type: RAW_OPCODES.SET_DATA, path: paths[0]!, data, version: -1 },
      { type: RAW_OPCODES.DELETE, path: paths[1]!, version: -1 },
    ];
    const bodies = [
      pathVersionBodyBytes(paths[1]!),
      createBodyBytes(paths[2]!, data, acls[1]!),
      setBodyBytes(paths[0]!, data),
      pathVersionBodyBytes(paths[1]!),
    ];
    const encoded = framed(jute.OP_CODES['MULTI']!, new jute.TransactionRequest(ops));
    expect(HEADER + multiBodyBytes(bodies)).toBe(encoded);
  });

  it('accepts a request of exactly the limit and refuses one byte more, naming the sizes', () => {
    const limit = DEFAULT_MAX_REQUEST_BYTES;
    expect(limit).toBe(1_048_575);
    const path = '/big';
    const fits = Buffer.alloc(limit - HEADER - createBodyBytes(path, Buffer.alloc(0), OPEN_ACL_UNSAFE));
    expect(encodedCreate(path, fits, OPEN_ACL_UNSAFE)).toBe(limit);
    expect(() => checkRequestSize('create', path, createBodyBytes(path, fits, OPEN_ACL_UNSAFE), limit)).not.toThrow();

    const over = Buffer.alloc(fits.length + 1);
    let error: unknown;
    try {
      checkRequestSize('create', path, createBodyBytes(path, over, OPEN_ACL_UNSAFE), limit);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataTooLargeError);
    const tooLarge = error as DataTooLargeError;
    expect(tooLarge.name).toBe('DataTooLargeError');
    expect(tooLarge.path).toBe(path);
    expect(tooLarge.requestBytes).toBe(limit + 1);
    expect(tooLarge.limitBytes).toBe(limit);
    expect(tooLarge.message).toBe(
      `create /big: the request would be ${limit + 1} bytes, over the server's limit of ${limit} (jute.maxbuffer) ` +
        'by 1; it was not sent',
    );
  });

  it('checks against the limit it is given', () => {
    expect(() => checkRequestSize('set', '/a', 92, 100)).not.toThrow();
    expect(() => checkRequestSize('set', '/a', 93, 100)).toThrow(DataTooLargeError);
  });
});
