/**
 * Service registry and discovery: each instance registers while subscribed (an ephemeral node),
 * and `discover` keeps the live list. An instance that stops deregisters at once; one whose
 * session expires disappears, then registers again by itself on its new session.
 *
 *   npm run demo:registry [-- --duration 15]
 */
import { filter, firstValueFrom, Subject, takeUntil, type Subscription } from 'rxjs';
import { discover, register } from '../src/index.js';
import { expireSession } from '../src/testing/index.js';
import { runDemo } from './support/demo.js';

await runDemo('service registry and discovery', { seconds: 14 }, ({ connect, at, log, end$ }) => {
  discover(connect(), '/services/api').subscribe((instances) =>
    log('discover', instances.map((i) => `${i.id}@${i.host}:${i.port}`)),
  );

  // Three instances, each with its own session, as three processes would have.
  const sessions = ['a1', 'a2', 'a3'].map((id) => ({ id, zk: connect() }));
  const running = new Map<string, Subscription>();
  const states$ = new Subject<{ id: string; state: string }>();
  const start = (id: string, port: number) => {
    const { zk } = sessions.find((s) => s.id === id)!;
    const registration = register(zk, '/services/api', { id, host: '127.0.0.1', port, payload: { version: '1.4.2' } }).pipe(
      takeUntil(end$), // registered until unsubscribed: deregister when the demo ends
    );
    running.set(
      id,
      registration.subscribe(({ state }) => {
        log(`${id} register`, state);
        states$.next({ id, state });
      }),
    );
  };

  at(500, () => start('a1', 8001));
  at(1_500, () => start('a2', 8002));
  at(2_500, () => start('a3', 8003));
  at(4_500, () => {
    log('a2', 'stops: unsubscribing deregisters it');
    running.get('a2')?.unsubscribe();
  });
  at(6_500, async () => {
    // It registers again by itself once its client is on a new session.
    const again = firstValueFrom(states$.pipe(filter((s) => s.id === 'a3' && s.state === 'registered')));
    log('a3', 'its session expires (as after a long network partition)');
    await expireSession(sessions[2]!.zk);
    await again;
  });
  at(10_000, () => start('a2', 8002));
});
