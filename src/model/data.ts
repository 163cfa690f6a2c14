import { InvalidArgumentError } from '../errors/zk-error.js';
import { describeValue } from './describe-value.js';

/** Node data: bytes, or a string (encoded as UTF-8). */
export type Data = Buffer | Uint8Array | string;

/** What a node without data reads as. */
export const EMPTY_DATA: Buffer = Buffer.alloc(0);

/**
 * A caller's data as the bytes to send (`undefined` for none). Throws {@link InvalidArgumentError}
 * naming `what` for anything but a Buffer, a Uint8Array or a string.
 */
export function toBuffer(data: Data | undefined | null, what: string): Buffer | undefined {
  if (data === undefined || data === null) return undefined;
  if (Buffer.isBuffer(data)) return data;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const kind = ArrayBuffer.isView(data) ? (data as ArrayBufferView).constructor.name : describeValue(data);
  const hint = ArrayBuffer.isView(data)
    ? ' (for its raw bytes, pass Buffer.from(view.buffer, view.byteOffset, view.byteLength))'
    : '';
  throw new InvalidArgumentError(`${what}: data must be a Buffer, a Uint8Array or a string, got ${kind}${hint}`);
}
