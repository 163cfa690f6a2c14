import { pipe, retry, takeUntil, timer, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import type { ZkClient } from '../../../src/index.js';
import type { ChaosLog } from '../chaos-log.js';
import type { ChaosPaths } from '../chaos-paths.js';

/** What a role gets to work with. */
export interface ParticipantContext {
  readonly zk: ZkClient;
  readonly id: string;
  readonly inc: number;
  readonly paths: ChaosPaths;
  readonly log: ChaosLog;
  /** Emits once when the participant is told to stop. */
  readonly stop$: Observable<void>;
  /** Set once the participant is told to stop. */
  readonly stopping: () => boolean;
  /** For lockers: which API holds the lock. */
  readonly mode: 'withLock' | 'lock';
}

/** The error's name and message, for a log line. */
export function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}

/**
 * Until the participant stops: a recipe stream that errors (it should not) is logged as a
 * `stream-error`, which the checker reports, and subscribed to again half a second later.
 */
export function untilStopped<T>(ctx: ParticipantContext, what: string): MonoTypeOperatorFunction<T> {
  return pipe(
    retry({
      delay: (error: unknown) => {
        ctx.log({ ev: 'stream-error', what, ...describeError(error) });
        return timer(500);
      },
    }),
    takeUntil(ctx.stop$),
  );
}
