import { describe, expect, it } from 'vitest';
import { Framer } from '../../../src/wire/framer.js';
import { ProtocolError } from '../../../src/wire/protocol-error.js';

function frame(body: Buffer): Buffer {
  const out = Buffer.alloc(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/** Frames of assorted sizes, including empty ones and ones around the 4-byte header. */
const BODIES = [0, 1, 3, 4, 5, 16, 0, 300, 2].map((n, i) => Buffer.alloc(n, i + 1));
const STREAM = Buffer.concat(BODIES.map(frame));

function collect(): { frames: Buffer[]; framer: Framer } {
  const frames: Buffer[] = [];
  const framer = new Framer((buf, start, end) => frames.push(Buffer.from(buf.subarray(start, end))));
  return { frames, framer };
}

describe('Framer', () => {
  it('cuts a stream given whole', () => {
    const { frames, framer } = collect();
    framer.push(STREAM);
    expect(frames).toEqual(BODIES);
  });

  it('cuts the same frames wherever the stream is split in two', () => {
    for (let at = 0; at <= STREAM.length; at++) {
      const { frames, framer } = collect();
      framer.push(STREAM.subarray(0, at));
      framer.push(STREAM.subarray(at));
      expect(frames, `split at byte ${at}`).toEqual(BODIES);
    }
  });

  it('cuts the same frames wherever the stream is split in three', () => {
    const small = Buffer.concat(BODIES.slice(0, 6).map(frame));
    for (let a = 0; a <= small.length; a++) {
      for (let b = a; b <= small.length; b++) {
        const { frames, framer } = collect();
        framer.push(small.subarray(0, a));
        framer.push(small.subarray(a, b));
        framer.push(small.subarray(b));
        expect(frames, `split at ${a} and ${b}`).toEqual(BODIES.slice(0, 6));
      }
    }
  });

  it('cuts the same frames from a stream given one byte at a time', () => {
    const { frames, framer } = collect();
    for (let i = 0; i < STREAM.length; i++) framer.push(STREAM.subarray(i, i + 1));
    expect(frames).toEqual(BODIES);
  });

  it('hands over frames that lie whole in a chunk in place, without a copy', () => {
    const seen: Buffer[] = [];
    const framer = new Framer((buf) => seen.push(buf));
    framer.push(STREAM);
    expect(seen.every((buf) => buf === STREAM)).toBe(true);
  });

  it('refuses a length over the cap before allocating it, and a negative one', () => {
    const capped = new Framer(() => {}, 1000);
    const big = Buffer.alloc(4);
    big.writeInt32BE(1001, 0);
    expect(() => capped.push(big)).toThrow(/frame length 1001 is out of range \(0 to 1000, jute.maxbuffer\)/);
    const negative = new Framer(() => {});
    expect(() => negative.push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).toThrow(ProtocolError);
  });

  it('takes a frame as long as the cap', () => {
    const { frames } = collect();
    const framer = new Framer((buf, start, end) => frames.push(Buffer.from(buf.subarray(start, end))), 10);
    framer.push(frame(Buffer.alloc(10, 7)));
    expect(frames).toEqual([Buffer.alloc(10, 7)]);
  });

  it('hands over nothing more once stopped, even from the chunk being cut', () => {
    const seen: number[] = [];
    const framer = new Framer((buf, start, end) => {
      seen.push(end - start);
      framer.stop();
    });
    framer.push(STREAM);
    framer.push(STREAM);
    expect(seen).toEqual([0]);
  });
});
