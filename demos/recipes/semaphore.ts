/**
 * Semaphore: five workers share two permits, each holding a lease for a moment and asking again.
 * Never more than two hold one. Midway, a holder's session expires: it says `lost`, its lease goes
 * with its session, the next waiter gets the permit, and it queues again on its new session.
 *
 *   npm run demo:semaphore [-- --duration 10]
 */
import { defer, EMPTY, filter, firstValueFrom, lastValueFrom, NEVER, of, repeat, Subject, switchMap, take, tap, timer } from 'rxjs';
import { semaphore, type ZkClient } from '../../src/index.js';
import { expireSession } from '../../src/testing/index.js';
import { runDemo } from '../support/demo.js';

await runDemo('semaphore with two permits', { seconds: 10 }, async ({ connect, at, log, end$ }) => {
  let ending = false;
  end$.subscribe(() => (ending = true));
  const holding = new Set<string>();
  const clients = new Map<string, ZkClient>();
  const changes$ = new Subject<{ who: string; state: string }>();
  /** The holder whose session is made to expire: it keeps its lease until it loses it. */
  let victim: string | undefined;

  const workers = ['w1', 'w2', 'w3', 'w4', 'w5'].map((who) => {
    const zk = connect();
    clients.set(who, zk);
    const turns = defer(() => semaphore(zk, '/semaphores/db', { permits: 2 })).pipe(
      tap(({ state, fencingToken }) => {
        if (state === 'acquired') holding.add(who);
        else holding.delete(who);
        const token = fencingToken === undefined ? '' : ` (fencing token ${fencingToken})`;
        log(who, `${state}${token}; holding: ${[...holding].join(', ') || 'nobody'}`);
        changes$.next({ who, state });
      }),
      // Hold the lease for 600 ms, then unsubscribe, which releases it; a lost lease ends the turn.
      switchMap(({ state }) => {
        if (state === 'lost') return of(state);
        if (state !== 'acquired') return NEVER;
        return timer(600).pipe(filter(() => victim !== who));
      }),
      take(1),
      tap(() => holding.delete(who)),
      repeat({ delay: () => (ending ? EMPTY : timer(200 + Math.random() * 400)) }),
    );
    return lastValueFrom(turns, { defaultValue: undefined });
  });

  at(4_000, async () => {
    // Whoever holds a lease next (at once if someone does) is the one whose session expires.
    const who = holding.size > 0 ? [...holding][0]! : (await firstValueFrom(changes$.pipe(filter((c) => c.state === 'acquired')))).who;
    victim = who;
    const lost = firstValueFrom(changes$.pipe(filter((c) => c.who === who && c.state === 'lost')));
    log(who, 'its session expires while it holds a lease');
    await expireSession(clients.get(who)!);
    await lost;
    victim = undefined;
  });
  await Promise.all(workers);
});
