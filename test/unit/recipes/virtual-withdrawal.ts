import type { Context } from '../../helpers/marbles.js';

/**
 * A withdrawal (or any step a recipe awaits) that takes virtual time: each call starts one, which
 * settles `m.time(takes)` later on the test scheduler, so a marble test can see that a stream
 * waits for it. A Promise would settle in a microtask, outside virtual time.
 *
 * @param takes How long it takes, as a marble (`'--|'` is two frames).
 * @param failure Settles with this error instead.
 */
export function virtualWithdrawal(m: Context, takes: string, failure?: Error) {
  /** When each call started, in frames. */
  const starts: number[] = [];
  const run = (): Promise<void> => {
    starts.push(m.scheduler.now());
    const settled = {
      then(onFulfilled?: (value: void) => unknown, onRejected?: (error: unknown) => unknown) {
        m.scheduler.schedule(() => (failure ? onRejected?.(failure) : onFulfilled?.(undefined)), m.time(takes));
        return settled;
      },
      catch(onRejected: (error: unknown) => unknown) {
        return settled.then(undefined, onRejected);
      },
    };
    return settled as unknown as Promise<void>;
  };
  return { run, starts };
}
