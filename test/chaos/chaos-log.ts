/**
 * Writes a chaos log: one JSON line per event, stamped with the wall clock and the system's
 * monotonic clock. Each line is written at once (a synchronous append), so a process killed
 * outright loses nothing it had already said.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ChaosEvent } from './events.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as its writer gives it: the stamps are added. */
export type EventFields = DistributiveOmit<ChaosEvent, 't' | 'mono' | 'p' | 'inc' | 'src'>;

export interface ChaosLog {
  (fields: EventFields): void;
  close(): void;
}

/** The system's monotonic clock in ms (the same clock for every process of the machine). */
export function monoNow(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Appends `p`'s events (incarnation `inc`) to `file`. */
export function chaosLog(file: string, p: string, inc: number): ChaosLog {
  const fd = openSync(file, 'a');
  let open = true;
  const log = ((fields: EventFields) => {
    if (!open) return;
    writeSync(fd, `${JSON.stringify({ t: Date.now(), mono: monoNow(), p, inc, ...fields })}\n`);
  }) as ChaosLog;
  log.close = () => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
  return log;
}
