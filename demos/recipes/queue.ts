/**
 * Queue: a producer offers eight jobs (one of them urgent) to three workers on separate clients.
 * Each job is with one worker at a time and leaves the queue once acknowledged. Worker w2 dies in
 * the middle of its first job (it stops at once and its session ends): that job goes to another
 * worker, and none is lost. A late job comes after, and the queue empties.
 *
 *   npm run demo:queue [-- --duration 6]
 */
import { distinctUntilChanged, filter, firstValueFrom, map, NEVER, Subject, takeUntil, timer } from 'rxjs';
import { queue } from '../../src/index.js';
import { runDemo } from '../support/demo.js';

await runDemo('a work queue with three workers', { seconds: 6 }, async ({ connect, at, log }) => {
  const jobs = queue(connect(), '/queues/jobs');
  for (let i = 1; i <= 7; i++) await jobs.offer(`job-${i}`);
  await jobs.offer('urgent', { priority: -1 });
  log('producer', 'offered job-1 .. job-7, then an urgent job');
  // A job leaves the queue only once its worker acknowledged it.
  const empty$ = jobs.items$().pipe(
    map((items) => items.length),
    distinctUntilChanged(),
    filter((n) => n === 0),
  );
  empty$.subscribe(() => log('queue', 'empty: every job done and acknowledged'));

  const started$ = new Subject<{ who: string; job: string }>();
  const finished$ = new Subject<{ who: string; job: string }>();
  const died$ = new Subject<void>();
  const workers = new Map(
    ['w1', 'w2', 'w3'].map((who) => {
      const zk = connect();
      queue(zk, '/queues/jobs')
        .process$((item) => {
          const job = item.data.toString();
          log(who, `works on ${job}`);
          started$.next({ who, job });
          return timer(400).pipe(map(() => job));
        })
        // A worker that died says nothing more, whatever was in flight.
        .pipe(takeUntil(who === 'w2' ? died$ : NEVER))
        .subscribe((job) => {
          log(who, `finished ${job}`);
          finished$.next({ who, job });
        });
      return [who, zk] as const;
    }),
  );

  at(0, async () => {
    const { job } = await firstValueFrom(started$.pipe(filter((s) => s.who === 'w2')));
    await firstValueFrom(timer(150));
    log('w2', `dies in the middle of ${job}: it stops, and its session ends`);
    died$.next();
    const redone = firstValueFrom(finished$.pipe(filter((f) => f.job === job)));
    await workers.get('w2')!.close();
    const { who } = await redone;
    log('queue', `${job}, left unfinished by w2, was done by ${who}`);
  });
  at(2_500, async () => {
    const done = firstValueFrom(finished$.pipe(filter((f) => f.job === 'late-job')));
    await jobs.offer('late-job');
    log('producer', 'offered late-job');
    await done;
    await firstValueFrom(empty$);
  });
});
