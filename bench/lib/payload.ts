/** Size of the data the scenarios write: a small configuration value. */
export const PAYLOAD_BYTES = 64;

/** Data carrying `counter` in its first four bytes, so a reader can tell which write it sees. */
export function payload(counter: number): Buffer {
  const data = Buffer.alloc(PAYLOAD_BYTES, 0x61);
  data.writeUInt32BE(counter >>> 0, 0);
  return data;
}

/** The counter written by {@link payload}; -1 for data that does not carry one. */
export function counterOf(data: Buffer | null | undefined): number {
  return data && data.length >= 4 ? data.readUInt32BE(0) : -1;
}
