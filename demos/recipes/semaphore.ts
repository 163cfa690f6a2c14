/**
 * Semaphore: five workers share two permits, each holding a lease for a moment and asking again.
 * Never more than two hold one. Midway, a holder's session expires: it says `lost`, its lease goes
 * with its session, the next waiter gets the permit, and it queues again on its new session.
 *
 *   npm run demo:semaphore [-- --duration 10]
 */
import { defer, EMPTY, lastValueFrom, NEVER, repeat, switchMap, take, tap, timer } from 'rxjs';
import { semaphore, type ZkClient } from '../../src/index.js';
import { expireSession } from '../../src/testing/index.js';
import { runDemo } from '../support/demo.js';

await runDemo('semaphore with two permits', { seconds: 10 }, async ({ connect, at, log, end$ }) => {
  let ending = false;
  end$.subscribe(() => (ending = true));
  const holding = new Set<string>();
  const clients = new Map<string, ZkClient>();

  const workers = ['w1', 'w2', 'w3', 'w4', 'w5'].map((who) => {
    const zk = connect();
    clients.set(who, zk);
    const turns = defer(() => semaphore(zk, '/semaphores/db', { permits: 2 })).pipe(
      tap(({ state, fencingToken }) => {
        if (state === 'acquired') holding.add(who);
        else holding.delete(who);
        const token = fencingToken === undefined ? '' : ` (fencing token ${fencingToken})`;
        log(who, `${state}${token}; holding: ${[...holding].join(', ') || 'nobody'}`);
      }),
      // Hold the lease for 600 ms, then unsubscribe, which releases it.
      switchMap(({ state }) => (state === 'acquired' ? timer(600) : NEVER)),
      take(1),
      tap(() => holding.delete(who)),
      repeat({ delay: () => (ending ? EMPTY : timer(200 + Math.random() * 400)) }),
    );
    return lastValueFrom(turns, { defaultValue: undefined });
  });

  at(4_000, () => {
    const who = [...holding][0] ?? 'w1';
    log(who, 'its session expires');
    return expireSession(clients.get(who)!);
  });
  await Promise.all(workers);
});
