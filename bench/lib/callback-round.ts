import { performance } from 'node:perf_hooks';
import type { Sample } from './scenario.js';

/** One operation driven by callbacks: `done` is called once, with the error if it failed. */
export type CallbackOperation = (slot: number, round: number, k: number, done: (error: unknown) => void) => void;

/**
 * Runs `total` operations, `inFlight` at a time, each slot issuing its next operation from the
 * previous one's callback; the sample has every operation's latency. Rejects on the first error.
 */
export function callbackRound(op: CallbackOperation, inFlight: number, total: number, round: number): Promise<Sample> {
  return new Promise<Sample>((resolve, reject) => {
    const latenciesMs: number[] = [];
    let issued = 0;
    let completed = 0;
    let failed = false;
    const started = performance.now();
    const next = (slot: number): void => {
      if (issued >= total || failed) return;
      const k = issued++;
      const t0 = performance.now();
      op(slot, round, k, (error) => {
        if (error) {
          failed = true;
          return reject(error instanceof Error ? error : new Error(String(error)));
        }
        latenciesMs.push(performance.now() - t0);
        if (++completed === total) resolve({ latenciesMs, ops: total, elapsedMs: performance.now() - started });
        else next(slot);
      });
    };
    for (let i = 0; i < inFlight; i++) next(i);
  });
}
