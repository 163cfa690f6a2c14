/** Bytes a fresh slab holds; a request bigger than what is left gets a slab of its own size. */
const SLAB_BYTES = 64 * 1024;

/**
 * Writes ZooKeeper's wire encoding (jute's binary archive: big-endian ints and longs, one byte
 * per boolean, strings and buffers as a 4-byte length then the bytes, -1 for null) into a
 * growable buffer, one length-prefixed frame after another.
 *
 * Frames accumulate until {@link take} hands them out as one Buffer, ready for one socket write.
 * What was taken is never written over: the socket may still hold it while its write is pending.
 * The next frames go into the rest of the same slab, or into a new slab when it is full, so a
 * batch costs one copy of each request and no copy of earlier batches.
 */
export class JuteWriter {
  private buf: Buffer = Buffer.allocUnsafe(SLAB_BYTES);
  /** Where the frames not yet taken start. */
  private start = 0;
  /** Where the next byte goes. */
  private pos = 0;
  /** Where the length of the open frame goes, -1 when no frame is open. */
  private frameAt = -1;

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.pos - this.start;
  }

  /** Opens a frame: its 4-byte length is filled in by {@link endFrame}. */
  beginFrame(): void {
    this.ensure(4);
    this.frameAt = this.pos;
    this.pos += 4;
  }

  /** Closes the open frame, writing its length. */
  endFrame(): void {
    this.buf.writeInt32BE(this.pos - this.frameAt - 4, this.frameAt);
    this.frameAt = -1;
  }

  /** Drops the open frame (its encoding failed half-way), leaving the frames before it. */
  abandonFrame(): void {
    if (this.frameAt < 0) return;
    this.pos = this.frameAt;
    this.frameAt = -1;
  }

  /** Everything written since the last take, or `null` if nothing was. */
  take(): Buffer | null {
    if (this.pos === this.start) return null;
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }

  int(value: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(value, this.pos);
    this.pos += 4;
  }

  /** A jute `long` from a bigint. */
  long(value: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64BE(value, this.pos);
    this.pos += 8;
  }

  /** A jute `long` from a safe integer (TTLs, times), without making a bigint. */
  longNumber(value: number): void {
    this.ensure(8);
    const high = Math.floor(value / 0x1_0000_0000);
    this.buf.writeInt32BE(high, this.pos);
    this.buf.writeUInt32BE(value - high * 0x1_0000_0000, this.pos + 4);
    this.pos += 8;
  }

  /** A jute `long` given as its two 32-bit halves (`low` unsigned). */
  longHalves(high: number, low: number): void {
    this.ensure(8);
    this.buf.writeInt32BE(high, this.pos);
    this.buf.writeUInt32BE(low, this.pos + 4);
    this.pos += 8;
  }

  /** A jute `long` given as its 8 bytes (a session id). */
  longBytes(bytes: Buffer): void {
    this.ensure(8);
    bytes.copy(this.buf, this.pos, 0, 8);
    this.pos += 8;
  }

  boolean(value: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  /** A jute `buffer`; `null` is written as length -1, as the Java client writes a null array. */
  buffer(bytes: Uint8Array | null): void {
    if (bytes === null) return this.int(-1);
    const n = bytes.length;
    this.ensure(4 + n);
    this.buf.writeInt32BE(n, this.pos);
    this.buf.set(bytes, this.pos + 4);
    this.pos += 4 + n;
  }

  /**
   * A jute `ustring` (UTF-8); `null` is written as length -1. The bytes are jute's for every
   * character in the BMP. Beyond it, jute writes each UTF-16 half as its own 3 bytes (CESU-8),
   * which the server's own reader (`new String(bytes, UTF_8)`) turns into U+FFFD: a path the Java
   * client cannot spell. This writes standard UTF-8, which the server reads as the character.
   */
  string(value: string | null): void {
    if (value === null) return this.int(-1);
    // UTF-8 needs at most 3 bytes per UTF-16 unit: room for that, then the length once known,
    // so the string is walked once.
    this.ensure(4 + value.length * 3);
    const n = this.buf.write(value, this.pos + 4, 'utf8');
    this.buf.writeInt32BE(n, this.pos);
    this.pos += 4 + n;
  }

  /** A jute `vector<ustring>`. */
  strings(values: readonly string[]): void {
    this.int(values.length);
    for (const value of values) this.string(value);
  }

  /** Makes room for `bytes` more bytes, moving the frames not yet taken if it needs a new slab. */
  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const pending = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * (pending + bytes)));
    this.buf.copy(next, 0, this.start, this.pos);
    if (this.frameAt >= 0) this.frameAt -= this.start;
    this.buf = next;
    this.start = 0;
    this.pos = pending;
  }
}
