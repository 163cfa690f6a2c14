import { performance } from 'node:perf_hooks';

/**
 * Waits for a watched value to reach a state, and tells when it did: the subscriber under test
 * calls {@link offer} with every value it sees; the timing loop calls {@link expect} right after
 * making the change. The time is taken in `offer`, where the value arrived, not when the awaiting
 * code resumes. Both contenders of a case use the same Arrival, so its cost is the same for both.
 */
export class Arrival<T> {
  private latest: T | undefined;
  private hasLatest = false;
  private waiting: {
    test: (value: T) => boolean;
    resolve: (at: number) => void;
    reject: (error: Error) => void;
    timer: NodeJS.Timeout;
  } | null = null;

  offer(value: T): void {
    this.latest = value;
    this.hasLatest = true;
    const waiting = this.waiting;
    if (waiting && waiting.test(value)) {
      const at = performance.now();
      this.waiting = null;
      clearTimeout(waiting.timer);
      waiting.resolve(at);
    }
  }

  /** Gives up waiting: the pending {@link expect} rejects. */
  cancel(reason: string): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    clearTimeout(waiting.timer);
    waiting.reject(new Error(reason));
  }

  /** Resolves with `performance.now()` of the first value (the latest one included) that passes `test`. */
  expect(test: (value: T) => boolean, timeoutMs: number, what: string): Promise<number> {
    if (this.waiting) return Promise.reject(new Error(`Arrival: already waiting (${what})`));
    if (this.hasLatest && test(this.latest as T)) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiting = { test, resolve, reject, timer };
    });
  }
}
