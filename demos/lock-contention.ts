/**
 * Lock contention: four workers increment one shared counter, each read-modify-write under
 * `withLock`. Waiters are served in arrival order, each watching only the node ahead of it, and
 * no increment is lost. A fifth participant uses `lock()` to show the states and the fencing
 * token (the lock node's czxid, which only grows).
 *
 *   npm run demo:lock [-- --duration 10]
 */
import { defer, EMPTY, lastValueFrom, repeat, takeWhile, tap, timer } from 'rxjs';
import { lock, withLock, type ZkClient } from '../src/index.js';
import { runDemo } from './support/demo.js';

await runDemo('lock contention', { seconds: 10 }, async ({ connect, every, log, end$ }) => {
  const admin = connect();
  await admin.create('/counter', '0');
  let increments = 0;
  let ending = false;
  end$.subscribe(() => (ending = true));

  // The critical section: read, think a little, write back. Without the lock, updates would be lost.
  async function increment(zk: ZkClient, who: string): Promise<void> {
    const value = Number((await zk.get('/counter')).data.toString());
    await new Promise((resolve) => setTimeout(resolve, 100));
    await zk.set('/counter', String(value + 1));
    increments += 1;
    log(who, `counter ${value} → ${value + 1}`);
  }

  const workers = ['w1', 'w2', 'w3', 'w4'].map((who) => {
    const zk = connect();
    const turns = defer(() => withLock(zk, '/locks/counter', () => increment(zk, who))).pipe(
      // Another turn after a short pause, until the demo ends (the turn under way finishes first).
      repeat({ delay: () => (ending ? EMPTY : timer(50 + Math.random() * 200)) }),
    );
    return lastValueFrom(turns, { defaultValue: undefined });
  });

  const auditor = connect();
  every(2_500, () =>
    lock(auditor, '/locks/counter').pipe(
      tap(({ state, fencingToken }) => log('auditor', fencingToken === undefined ? state : `${state}, fencing token ${fencingToken}`)),
      takeWhile(({ state }) => state !== 'acquired', true), // then unsubscribe: released at once
    ),
  );

  await Promise.all(workers);
  log('result', `${increments} increments, counter is ${(await admin.get('/counter')).data.toString()}`);
});
