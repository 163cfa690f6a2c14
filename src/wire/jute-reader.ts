import { ProtocolError } from './protocol-error.js';

/**
 * Reads ZooKeeper's wire encoding (jute's binary archive) from one frame, checking every read
 * against the frame's end: a short or malformed frame throws {@link ProtocolError} instead of
 * reading past it or allocating what a garbage length asks for.
 *
 * One reader is reset for each frame ({@link reset}), so reading allocates only the values read.
 */
export class JuteReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private end = 0;

  /** Reads `buf` from `start` (inclusive) to `end` (exclusive). */
  reset(buf: Buffer, start: number, end: number): this {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    return this;
  }

  /** Bytes left in the frame. */
  get remaining(): number {
    return this.end - this.pos;
  }

  int(): number {
    this.need(4, 'int');
    const value = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  long(): bigint {
    this.need(8, 'long');
    const value = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return value;
  }

  /** A jute `long` known to be a safe integer (milliseconds since the epoch), without a bigint. */
  longNumber(): number {
    this.need(8, 'long');
    const value = this.buf.readInt32BE(this.pos) * 0x1_0000_0000 + this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return value;
  }

  /** The high 32 bits (signed) of the next `long`, without consuming it; pair with {@link longLow}. */
  longHigh(): number {
    this.need(8, 'long');
    return this.buf.readInt32BE(this.pos);
  }

  /** The low 32 bits (unsigned) of the next `long`, and consumes it. */
  longLow(): number {
    this.need(8, 'long');
    const low = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return low;
  }

  /** The next `long` as its 8 bytes, copied. */
  longBytes(): Buffer {
    this.need(8, 'long');
    const bytes = Buffer.allocUnsafe(8);
    this.buf.copy(bytes, 0, this.pos, this.pos + 8);
    this.pos += 8;
    return bytes;
  }

  /**
   * A session id (an 8-byte `long`) as lower-case hex without leading zeros, `'0'` for none: the
   * form rxzk's `Stat.ephemeralOwner` and session ids take.
   */
  sessionIdHex(): string {
    this.need(8, 'long');
    const at = this.pos;
    this.pos += 8;
    // Most nodes are persistent (owner 0): no bigint needed to say so.
    if (this.buf.readUInt32BE(at) === 0 && this.buf.readUInt32BE(at + 4) === 0) return '0';
    return this.buf.readBigUInt64BE(at).toString(16);
  }

  boolean(): boolean {
    this.need(1, 'boolean');
    return this.buf[this.pos++] !== 0;
  }

  /** A jute `buffer`, copied out of the frame (which belongs to a socket chunk); -1 reads as null. */
  buffer(): Buffer | null {
    const n = this.length('buffer');
    if (n < 0) return null;
    const bytes = Buffer.allocUnsafe(n);
    this.buf.copy(bytes, 0, this.pos, this.pos + n);
    this.pos += n;
    return bytes;
  }

  /** A jute `ustring`; -1 reads as null. */
  stringOrNull(): string | null {
    const n = this.length('string');
    if (n < 0) return null;
    let value = this.buf.toString('utf8', this.pos, this.pos + n);
    // A server writes a character beyond the BMP as its two UTF-16 halves, each as three bytes
    // (jute's BinaryOutputArchive.stringToByteBuffer, i.e. CESU-8), which UTF-8 reads as U+FFFD:
    // only then is the string read again, halves and all.
    if (value.includes('\ufffd')) value = decodeCesu8(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return value;
  }

  /** A jute `ustring` that must be there. */
  string(): string {
    const value = this.stringOrNull();
    if (value === null) throw new ProtocolError('expected a string, got null');
    return value;
  }

  /** A jute `vector<ustring>`; a null vector (-1) reads as empty, as no reply needs the difference. */
  strings(): string[] {
    const n = this.count(4, 'vector<ustring>');
    const values = new Array<string>(n);
    for (let i = 0; i < n; i++) values[i] = this.string();
    return values;
  }

  /**
   * The element count of a vector whose elements take at least `minBytes` each: checked against
   * what is left, so a garbage count fails here rather than in an allocation. -1 (null) is 0.
   */
  count(minBytes: number, what: string): number {
    const n = this.int();
    if (n === -1) return 0;
    if (n < 0 || n * minBytes > this.end - this.pos) {
      throw new ProtocolError(`${what} of ${n} elements in a frame with ${this.end - this.pos} bytes left`);
    }
    return n;
  }

  private length(what: string): number {
    const n = this.int();
    if (n < -1 || n > this.end - this.pos) {
      throw new ProtocolError(`${what} of ${n} bytes in a frame with ${this.end - this.pos} bytes left`);
    }
    return n;
  }

  private need(bytes: number, what: string): void {
    if (this.pos + bytes > this.end) {
      throw new ProtocolError(`${what} needs ${bytes} bytes, the frame has ${this.end - this.pos} left`);
    }
  }
}

/**
 * Decodes UTF-8 that may hold UTF-16 surrogates encoded one by one (CESU-8), as jute writes
 * characters beyond the BMP. A byte sequence that is neither becomes U+FFFD, as in UTF-8.
 */
export function decodeCesu8(buf: Buffer, start: number, end: number): string {
  const units: number[] = [];
  let i = start;
  while (i < end) {
    const b = buf[i]!;
    const cont = (k: number) => i + k < end && (buf[i + k]! & 0xc0) === 0x80;
    if (b < 0x80) {
      units.push(b);
      i += 1;
    } else if (b >= 0xc2 && b < 0xe0 && cont(1)) {
      units.push(((b & 0x1f) << 6) | (buf[i + 1]! & 0x3f));
      i += 2;
    } else if (b >= 0xe0 && b < 0xf0 && cont(1) && cont(2)) {
      const unit = ((b & 0x0f) << 12) | ((buf[i + 1]! & 0x3f) << 6) | (buf[i + 2]! & 0x3f);
      units.push(unit >= 0x800 ? unit : 0xfffd);
      i += 3;
    } else if (b >= 0xf0 && b < 0xf5 && cont(1) && cont(2) && cont(3)) {
      const point = ((b & 0x07) << 18) | ((buf[i + 1]! & 0x3f) << 12) | ((buf[i + 2]! & 0x3f) << 6) | (buf[i + 3]! & 0x3f);
      if (point >= 0x10000 && point <= 0x10ffff) units.push(0xd800 + ((point - 0x10000) >> 10), 0xdc00 + ((point - 0x10000) & 0x3ff));
      else units.push(0xfffd);
      i += 4;
    } else {
      units.push(0xfffd);
      i += 1;
    }
  }
  let out = '';
  for (let at = 0; at < units.length; at += 8192) out += String.fromCharCode(...units.slice(at, at + 8192));
  return out;
}
