import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { hold, type HoldSpec } from '../../../src/handles/hold.js';

type State = 'waiting' | 'held' | 'lost';

/** A hold over a Subject, with a withdrawal the test finishes when it wants. */
function setup(signal?: AbortSignal) {
  const states = new Subject<State>();
  const withdrawals: Array<() => void> = [];
  const seen: State[] = [];
  const spec: HoldSpec<State> = {
    states$: states,
    withdraw: () => new Promise<void>((resolve) => withdrawals.push(resolve)),
    reached: (s) => s === 'held',
    lost: (s) => s === 'lost',
    lostError: (cause) => new Error('lost', { cause }),
    closedError: () => new Error('closed'),
    abortError: (reason) => new Error('aborted', { cause: reason }),
    signal,
    onState: (s) => seen.push(s),
  };
  const settled: { value?: unknown; error?: unknown; done: boolean } = { done: false };
  const promise = hold(spec);
  promise.then(
    (value) => Object.assign(settled, { value, done: true }),
    (error: unknown) => Object.assign(settled, { error, done: true }),
  );
  return { states, withdrawals, seen, settled, promise };
}

/** Lets pending promise callbacks run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('hold', () => {
  it('resolves on the first reached state, with a live signal', async () => {
    const { states, settled, promise } = setup();
    states.next('waiting');
    await flush();
    expect(settled.done).toBe(false);
    states.next('held');
    const held = await promise;
    expect(held.reached).toBe('held');
    expect(held.signal.aborted).toBe(false);
    expect(held.released).toBe(false);
  });

  it('an abort while waiting withdraws, and rejects only once the withdrawal is done', async () => {
    const controller = new AbortController();
    const { states, withdrawals, settled } = setup(controller.signal);
    states.next('waiting');
    controller.abort('stop');
    await flush();
    expect(withdrawals).toHaveLength(1);
    expect(states.observed).toBe(false);
    expect(settled.done).toBe(false);
    withdrawals[0]!();
    await flush();
    expect(settled.error).toEqual(new Error('aborted'));
    expect((settled.error as Error).cause).toBe('stop');
  });

  it('a signal aborted before the call rejects without subscribing or withdrawing', async () => {
    const { states, withdrawals, settled } = setup(AbortSignal.abort('early'));
    await flush();
    expect(states.observed).toBe(false);
    expect(withdrawals).toHaveLength(0);
    expect((settled.error as Error).message).toBe('aborted');
  });

  it('states that error or end before the goal withdraw, then reject', async () => {
    const failing = setup();
    failing.states.error(new Error('boom'));
    failing.withdrawals[0]!();
    await flush();
    expect(failing.settled.error).toEqual(new Error('boom'));

    const ending = setup();
    ending.states.complete();
    ending.withdrawals[0]!();
    await flush();
    expect(ending.settled.error).toEqual(new Error('closed'));
  });

  it('once held, a lost state aborts the signal and withdraws; release() then resolves with that withdrawal', async () => {
    const { states, withdrawals, seen, promise } = setup();
    states.next('held');
    const held = await promise;
    states.next('waiting');
    expect(held.signal.aborted).toBe(false);
    states.next('lost');
    expect(held.signal.aborted).toBe(true);
    expect((held.signal.reason as Error).message).toBe('lost');
    expect(withdrawals).toHaveLength(1);
    expect(held.released).toBe(true);
    const released = held.release();
    expect(withdrawals).toHaveLength(1);
    let done = false;
    void released.then(() => (done = true));
    await flush();
    expect(done).toBe(false);
    withdrawals[0]!();
    await released;
    expect(seen).toEqual(['held', 'waiting', 'lost']);
  });

  it('an error of the states once held is a loss, with the error as cause', async () => {
    const { states, promise } = setup();
    states.next('held');
    const held = await promise;
    const boom = new Error('boom');
    states.error(boom);
    expect((held.signal.reason as Error).cause).toBe(boom);
  });

  it('release() stops following the states, withdraws once however often it is called', async () => {
    const controller = new AbortController();
    const { states, withdrawals, promise } = setup(controller.signal);
    states.next('held');
    const held = await promise;
    const first = held.release();
    const second = held.release();
    expect(first).toBe(second);
    expect(states.observed).toBe(false);
    expect(withdrawals).toHaveLength(1);
    // The caller's signal bounded the wait only.
    controller.abort();
    expect(held.signal.aborted).toBe(false);
    withdrawals[0]!();
    await first;
  });
});
