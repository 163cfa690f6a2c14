import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { OperationTimeoutError, SessionExpiredError, type ZkError } from '../../../src/index.js';
import { OperationQueue } from '../../../src/session/operation-queue.js';
import type { WireClient, WireFailure } from '../../../src/wire/wire-client.js';

/** The queue's record of what is in flight, when replies come in any order. */
describe('OperationQueue: operations in flight', () => {
  const wireClient = {} as WireClient;

  function setup() {
    const scheduler = new VirtualTimeScheduler();
    const queue = new OperationQueue(scheduler, () => wireClient);
    const replies = new Map<string, (error: WireFailure | null, result?: string) => void>();
    const outcomes = new Map<string, string>();
    const order: string[] = [];
    const run = (name: string, timeoutMs = 1_000) =>
      queue
        .run<string>(
          { name, path: `/${name}`, resendable: true, send: (_raw, done) => replies.set(name, done) },
          timeoutMs,
          3,
        )
        .then(
          (value) => outcomes.set(name, value),
          (error: ZkError) => {
            order.push(name);
            outcomes.set(name, error.name);
          },
        );
    return { scheduler, queue, replies, outcomes, order, run };
  }

  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('keeps count through replies in any order, and fails the rest in the order they were sent', async () => {
    const { queue, replies, outcomes, order, run } = setup();
    const names = Array.from({ length: 8 }, (_, i) => `op${i}`);
    for (const name of names) void run(name);
    expect(queue.size).toBe(8);
    for (const name of ['op3', 'op0', 'op7', 'op5']) replies.get(name)!(null, `${name} done`);
    expect(queue.size).toBe(4);
    // An answer that comes twice changes nothing.
    replies.get('op3')!(null, 'again');
    expect(queue.size).toBe(4);
    queue.onState('lost');
    await settled();
    expect(queue.size).toBe(0);
    expect(outcomes.get('op5')).toBe('op5 done');
    expect(order).toEqual(['op1', 'op2', 'op4', 'op6']);
    expect(outcomes.get('op1')).toBe(new SessionExpiredError('x').name);
  });

  it('times out what is still in flight at its deadline, in the order it was sent', async () => {
    const { scheduler, queue, replies, order, outcomes, run } = setup();
    for (const name of ['a', 'b', 'c', 'd']) void run(name, 100);
    replies.get('b')!(null, 'b done');
    scheduler.flush();
    await settled();
    expect(order).toEqual(['a', 'c', 'd']);
    expect(outcomes.get('a')).toBe(new OperationTimeoutError('x').name);
    expect(queue.size).toBe(0);
    queue.onState('closed');
  });

  it('counts an operation lost with the connection once, waiting, until it is sent again', async () => {
    const { queue, replies, outcomes, run } = setup();
    void run('a');
    void run('b');
    replies.get('a')!(Object.assign(new Error('connection loss'), { code: -4 }));
    expect(queue.size).toBe(2);
    queue.onState('reconnected');
    replies.get('a')!(null, 'a done');
    replies.get('b')!(null, 'b done');
    await settled();
    expect(queue.size).toBe(0);
    expect(outcomes.get('a')).toBe('a done');
    queue.onState('closed');
  });
});
