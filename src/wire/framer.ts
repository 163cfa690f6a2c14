import { ProtocolError } from './protocol-error.js';

/** ClientCnxn's default `jute.maxbuffer` for what it reads: 0xfffff bytes. */
export const DEFAULT_MAX_PACKET_BYTES = 0xfffff;

/** Called with each frame's body: `buf` from `start` to `end`, valid only during the call. */
export type FrameHandler = (buf: Buffer, start: number, end: number) => void;

/**
 * Cuts a TCP byte stream into ZooKeeper's frames (a 4-byte big-endian length, then that many bytes).
 *
 * Frames that lie whole in a chunk are handed over in place, without a copy. A frame split across
 * chunks is copied once into a buffer of its own size, allocated when its length is known, so a
 * chunk is never copied again for every frame in it (a cost that grows with the square of the
 * frames in a chunk). A length below 0 or above `maxPacketBytes` throws {@link ProtocolError}, as
 * ClientCnxnSocket refuses it, before anything is allocated for it.
 */
export class Framer {
  /** The length prefix, while it is split across chunks. */
  private readonly head = Buffer.alloc(4);
  private headBytes = 0;
  /** The frame being filled from several chunks, and how much of it is there. */
  private partial: Buffer | null = null;
  private partialBytes = 0;
  /** Set by {@link stop}: the frames still in the chunk are dropped. */
  private stopped = false;

  constructor(
    private readonly onFrame: FrameHandler,
    private readonly maxPacketBytes: number = DEFAULT_MAX_PACKET_BYTES,
  ) {}

  /** Stops handing over frames, including the rest of the chunk being handed over now. */
  stop(): void {
    this.stopped = true;
    this.partial = null;
  }

  /** Feeds a chunk; calls the handler for every frame it completes, in order. */
  push(chunk: Buffer): void {
    let at = 0;
    const end = chunk.length;
    while (at < end && !this.stopped) {
      if (this.partial !== null) {
        const want = this.partial.length - this.partialBytes;
        const take = Math.min(want, end - at);
        chunk.copy(this.partial, this.partialBytes, at, at + take);
        this.partialBytes += take;
        at += take;
        if (this.partialBytes === this.partial.length) {
          const frame = this.partial;
          this.partial = null;
          this.onFrame(frame, 0, frame.length);
        }
        continue;
      }
      let length: number;
      if (this.headBytes > 0 || end - at < 4) {
        const take = Math.min(4 - this.headBytes, end - at);
        chunk.copy(this.head, this.headBytes, at, at + take);
        this.headBytes += take;
        at += take;
        if (this.headBytes < 4) return;
        this.headBytes = 0;
        length = this.checked(this.head.readInt32BE(0));
      } else {
        length = this.checked(chunk.readInt32BE(at));
        at += 4;
      }
      if (end - at >= length) {
        this.onFrame(chunk, at, at + length);
        at += length;
      } else {
        this.partial = Buffer.allocUnsafe(length);
        this.partialBytes = 0;
      }
    }
  }

  private checked(length: number): number {
    if (length < 0 || length > this.maxPacketBytes) {
      this.stop();
      throw new ProtocolError(`frame length ${length} is out of range (0 to ${this.maxPacketBytes}, jute.maxbuffer)`);
    }
    return length;
  }
}
