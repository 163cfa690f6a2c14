import { describe, expect, it } from 'vitest';
import { JuteReader } from '../../../src/wire/jute-reader.js';
import { JuteWriter } from '../../../src/wire/jute-writer.js';
import { ProtocolError } from '../../../src/wire/protocol-error.js';

function frameOf(write: (w: JuteWriter) => void): Buffer {
  const w = new JuteWriter();
  w.beginFrame();
  write(w);
  w.endFrame();
  return Buffer.from(w.take()!);
}

function readerOf(frame: Buffer): JuteReader {
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  return new JuteReader().reset(frame, 4, frame.length);
}

describe('JuteWriter and JuteReader', () => {
  it('write and read back every jute type', () => {
    const frame = frameOf((w) => {
      w.int(-7);
      w.long(-0x1234_5678_9abc_def0n);
      w.longNumber(1_795_241_655_301);
      w.longNumber(-1000);
      w.boolean(true);
      w.boolean(false);
      w.buffer(Buffer.from([1, 2, 3]));
      w.buffer(null);
      w.string('/é/日本/😀');
      w.string(null);
      w.strings(['a', '', 'ccc']);
    });
    const r = readerOf(frame);
    expect(r.int()).toBe(-7);
    expect(r.long()).toBe(-0x1234_5678_9abc_def0n);
    expect(r.longNumber()).toBe(1_795_241_655_301);
    expect(r.longNumber()).toBe(-1000);
    expect(r.boolean()).toBe(true);
    expect(r.boolean()).toBe(false);
    expect(r.buffer()).toEqual(Buffer.from([1, 2, 3]));
    expect(r.buffer()).toBeNull();
    expect(r.string()).toBe('/é/日本/😀');
    expect(r.stringOrNull()).toBeNull();
    expect(r.strings()).toEqual(['a', '', 'ccc']);
    expect(r.remaining).toBe(0);
  });

  it('writes a string as its UTF-8 byte length and bytes', () => {
    const frame = frameOf((w) => w.string('é'));
    expect([...frame]).toEqual([0, 0, 0, 6, 0, 0, 0, 2, 0xc3, 0xa9]);
  });

  it('reads a session id as hex without leading zeros, 0 as "0"', () => {
    const frame = frameOf((w) => {
      w.long(0n);
      w.long(0x1_0000_00abn);
      w.long(-1n);
    });
    const r = readerOf(frame);
    expect(r.sessionIdHex()).toBe('0');
    expect(r.sessionIdHex()).toBe('1000000ab');
    expect(r.sessionIdHex()).toBe('ffffffffffffffff');
  });

  it('never writes over what was taken: later frames go after it or into a new slab', () => {
    const w = new JuteWriter();
    w.beginFrame();
    w.string('first');
    w.endFrame();
    const first = w.take()!;
    const copy = Buffer.from(first);
    // Enough to need several new slabs, each moving only the frames not yet taken.
    for (let i = 0; i < 50; i++) {
      w.beginFrame();
      w.buffer(Buffer.alloc(10_000, i));
      w.endFrame();
    }
    const rest = w.take()!;
    expect(first).toEqual(copy);
    expect(rest.length).toBe(50 * (4 + 4 + 10_000));
    expect(rest.readInt32BE(0)).toBe(10_004);
    expect(rest[rest.length - 1]).toBe(49);
    expect(w.take()).toBeNull();
  });

  it('drops a frame whose encoding failed half-way, keeping the frames before it', () => {
    const w = new JuteWriter();
    w.beginFrame();
    w.int(1);
    w.endFrame();
    w.beginFrame();
    w.int(2);
    w.abandonFrame();
    expect([...w.take()!]).toEqual([0, 0, 0, 4, 0, 0, 0, 1]);
  });

  describe('bounds', () => {
    const short = (write: (w: JuteWriter) => void, read: (r: JuteReader) => unknown) => () => read(readerOf(frameOf(write)));

    it.each([
      ['an int from 3 bytes', short((w) => w.boolean(true), (r) => r.int())],
      ['a long from 4 bytes', short((w) => w.int(1), (r) => r.long())],
      ['a boolean from nothing', short(() => {}, (r) => r.boolean())],
      ['a buffer longer than the frame', short((w) => w.int(100), (r) => r.buffer())],
      ['a string longer than the frame', short((w) => w.int(5), (r) => r.string())],
      ['a length below -1', short((w) => w.int(-2), (r) => r.buffer())],
      ['a null where a string must be', short((w) => w.int(-1), (r) => r.string())],
      ['a vector count the frame cannot hold', short((w) => w.int(0x7fff_ffff), (r) => r.strings())],
      ['a negative vector count', short((w) => w.int(-5), (r) => r.strings())],
    ])('refuse %s with a ProtocolError', (_, read) => {
      expect(read).toThrow(ProtocolError);
    });

    it('reads only within the frame, not the bytes after it in the same buffer', () => {
      const buf = Buffer.alloc(12);
      buf.writeInt32BE(7, 0);
      buf.writeInt32BE(8, 4);
      const r = new JuteReader().reset(buf, 0, 4);
      expect(r.int()).toBe(7);
      expect(() => r.int()).toThrow(ProtocolError);
    });
  });
});

describe('strings beyond the BMP', () => {
  it('reads the server CESU-8 halves as the character, and standard UTF-8 too', () => {
    const cesu = Buffer.from([0, 0, 0, 8, 0x2f, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80, 0x61]);
    expect(new JuteReader().reset(cesu, 0, cesu.length).string()).toBe('/😀a');
    const utf8 = Buffer.concat([Buffer.from([0, 0, 0, 6]), Buffer.from('/😀a')]);
    expect(new JuteReader().reset(utf8, 0, utf8.length).string()).toBe('/😀a');
  });

  it('reads a real U+FFFD and malformed bytes as U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 6]), Buffer.from('\ufffd'), Buffer.from([0xff, 0x41, 0xc3])]);
    expect(new JuteReader().reset(bytes, 0, bytes.length).string()).toBe('\ufffd\ufffdA\ufffd');
  });
});
