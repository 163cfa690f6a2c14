import { describe, expect, it } from 'vitest';
import { DataTooLargeError, OPEN_ACL_UNSAFE, type ConnectionState } from '../../../src/index.js';
import { createBodyBytes, multiBodyBytes, pathVersionBodyBytes, setBodyBytes } from '../../../src/client/request-size.js';
import { RAW_ERROR, rawACL } from '../../../src/wire/nzc/raw-client.js';
import { closeRaw, connectRaw, rawCall } from '../../helpers/raw.js';
import { eventually, nextMatching, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

/** The server's default jute.maxbuffer: the largest request it reads, header included. */
const LIMIT = 1_048_575;
const HEADER = 8;

const empty = Buffer.alloc(0);
/** Data that makes a create of `path` exactly `LIMIT` bytes. */
const createFits = (path: string) => Buffer.alloc(LIMIT - HEADER - createBodyBytes(path, empty, OPEN_ACL_UNSAFE), 'c');
/** Data that makes a set of `path` exactly `LIMIT` bytes. */
const setFits = (path: string) => Buffer.alloc(LIMIT - HEADER - setBodyBytes(path, empty), 's');
const oneMore = (data: Buffer) => Buffer.alloc(data.length + 1, data[0]);

function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('requests over the size limit', () => {
  it('create: exactly the limit is written; one byte more throws DataTooLargeError before sending', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'too-large-create');
    const fits = createFits(`${root}/fits`);
    await zk.create(`${root}/fits`, fits);
    expect((await zk.exists(`${root}/fits`))!.dataLength).toBe(fits.length);

    const error = thrownBy(() => zk.create(`${root}/over`, oneMore(createFits(`${root}/over`))));
    expect(error).toBeInstanceOf(DataTooLargeError);
    expect((error as DataTooLargeError).requestBytes).toBe(LIMIT + 1);
    expect((error as DataTooLargeError).limitBytes).toBe(LIMIT);
    expect((error as DataTooLargeError).path).toBe(`${root}/over`);
    expect(await zk.exists(`${root}/over`)).toBeNull();
  });

  it('set: exactly the limit is written; one byte more throws DataTooLargeError before sending', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'too-large-set');
    await zk.create(`${root}/n`);
    const fits = setFits(`${root}/n`);
    expect((await zk.set(`${root}/n`, fits)).dataLength).toBe(fits.length);
    const error = thrownBy(() => zk.set(`${root}/n`, oneMore(fits)));
    expect(error).toBeInstanceOf(DataTooLargeError);
    expect((error as DataTooLargeError).requestBytes).toBe(LIMIT + 1);
    expect((await zk.exists(`${root}/n`))!.version).toBe(1);
  });

  it('transaction: the whole request counts; exactly the limit commits, one byte more throws at commit', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'too-large-tx');
    await zk.create(`${root}/n`, 'x');
    const a = `${root}/a`;
    const n = `${root}/n`;
    const fixed = multiBodyBytes([createBodyBytes(a, empty, OPEN_ACL_UNSAFE), setBodyBytes(n, empty), pathVersionBodyBytes(n)]);
    const half = Math.floor((LIMIT - HEADER - fixed) / 2);
    const first = Buffer.alloc(half, 'a');
    const second = Buffer.alloc(LIMIT - HEADER - fixed - half, 'b');
    const build = (extra: number) =>
      zk
        .transaction()
        .create(a, first)
        .set(n, Buffer.alloc(second.length + extra, 'b'))
        .check(n, 1); // the set above is already applied when the check runs

    const error = thrownBy(() => build(1).commit());
    expect(error).toBeInstanceOf(DataTooLargeError);
    expect((error as DataTooLargeError).requestBytes).toBe(LIMIT + 1);
    expect(await zk.exists(a)).toBeNull();

    const results = await build(0).commit();
    expect(results.map((r) => r.type)).toEqual(['create', 'set', 'check']);
    expect((await zk.exists(a))!.dataLength).toBe(first.length);
    expect((await zk.exists(n))!.dataLength).toBe(second.length);
  });

  it('the limit is the server\'s: sent anyway, one byte more costs the connection', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'too-large-server');
    const raw = await connectRaw(sharedConnectString());
    try {
      const open = [rawACL(31, 'world', 'anyone')];
      const path = `${root}/raw`;
      const outcome = await rawCall<string>((cb) => raw.create(path, oneMore(createFits(path)), open, 0, cb)).then(
        () => 'created',
        (error: { code: number }) => error.code,
      );
      expect(outcome).toBe(RAW_ERROR.CONNECTION_LOSS);
      expect(await zk.exists(path)).toBeNull();
    } finally {
      await closeRaw(raw);
    }
  });

  it('an oversized write disturbs nothing else on the client: no reconnect, streams keep delivering', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(zk, 'too-large-neighbours');
    await zk.create(`${root}/watched`, 'v0');
    const states = record(zk.state$);
    const data$ = zk.data$(`${root}/watched`);
    const seen = record(data$);
    await eventually(() => seen.values.length === 1, 'the first value');

    const huge = Buffer.alloc(LIMIT + 10_000);
    for (let i = 1; i <= 3; i++) {
      expect(() => zk.create(`${root}/huge${i}`, huge)).toThrow(DataTooLargeError);
      expect(() => zk.set(`${root}/watched`, huge)).toThrow(DataTooLargeError);
      await writer.set(`${root}/watched`, `v${i}`);
      await nextMatching(data$, (node) => node?.data.toString() === `v${i}`, `v${i} after an oversized write`);
    }
    expect(states.values).toEqual(['connected'] satisfies ConnectionState[]);
    expect(seen.values.map((n) => n!.data.toString())).toEqual(['v0', 'v1', 'v2', 'v3']);
  });
});
