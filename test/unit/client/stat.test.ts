import { describe, expect, it } from 'vitest';
import type { RawStat } from '../../../src/wire/nzc/raw-client.js';
import { sessionIdHex } from '../../../src/model/stat.js';
import { toStat } from '../../../src/wire/nzc/raw-client.js';

function long(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(value);
  return buffer;
}

function rawStat(fields: { ctime: bigint; mtime: bigint; owner: bigint }): RawStat {
  return {
    czxid: long(0x1_0000_0002n),
    mzxid: long(0x1_0000_0005n),
    pzxid: long(0x1_0000_0003n),
    ctime: long(fields.ctime),
    mtime: long(fields.mtime),
    version: 3,
    cversion: 1,
    aversion: 0,
    ephemeralOwner: long(fields.owner),
    dataLength: 64,
    numChildren: 2,
  };
}

describe('toStat', () => {
  it.each([
    ['a current time', 1_795_241_655_301n],
    ['zero', 0n],
    ['a time past 2^32 ms with the low half over 2^31', 0x1_8000_0001n],
    ['before the epoch', -1_000n],
    ['the largest safe integer', BigInt(Number.MAX_SAFE_INTEGER)],
  ])('reads ctime and mtime exactly (%s)', (_, ms) => {
    const stat = toStat(rawStat({ ctime: ms, mtime: ms + 1n, owner: 0n }));
    expect(stat.ctime).toBe(Number(ms));
    expect(stat.mtime).toBe(Number(ms + 1n));
  });

  it('keeps zxids as bigints and the other fields as they are', () => {
    expect(toStat(rawStat({ ctime: 1n, mtime: 2n, owner: 0n }))).toEqual({
      czxid: 0x1_0000_0002n,
      mzxid: 0x1_0000_0005n,
      pzxid: 0x1_0000_0003n,
      ctime: 1,
      mtime: 2,
      version: 3,
      cversion: 1,
      aversion: 0,
      ephemeralOwner: '0',
      dataLength: 64,
      numChildren: 2,
    });
  });
});

describe('sessionIdHex', () => {
  it.each([
    [0n, '0'],
    [1n, '1'],
    [0x1_0000_0000n, '100000000'],
    [0x100001967480000n, '100001967480000'],
    [0xffff_ffff_ffff_ffffn, 'ffffffffffffffff'],
  ])('writes %s as %s', (id, hex) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64BE(id);
    expect(sessionIdHex(buffer)).toBe(hex);
  });
});
