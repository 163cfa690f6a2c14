/**
 * Queue: a producer offers eight jobs (one of them urgent) to three workers on separate clients.
 * Each job is with one worker at a time and leaves the queue once acknowledged. Midway, worker w2
 * dies in the middle of a job (its client closes): its job goes to another worker, none is lost.
 *
 *   npm run demo:queue [-- --duration 6]
 */
import { distinctUntilChanged, filter, map, timer } from 'rxjs';
import { queue } from '../../src/index.js';
import { runDemo } from '../support/demo.js';

await runDemo('a work queue with three workers', { seconds: 6 }, async ({ connect, at, log }) => {
  const jobs = queue(connect(), '/queues/jobs');
  for (let i = 1; i <= 7; i++) await jobs.offer(`job-${i}`);
  await jobs.offer('urgent', { priority: -1 });
  log('producer', 'offered job-1 .. job-7, then an urgent job');
  // A job leaves the queue only once its worker acknowledged it.
  jobs
    .items$()
    .pipe(
      map((items) => items.length),
      distinctUntilChanged(),
      filter((n) => n === 0),
    )
    .subscribe(() => log('queue', 'empty: every job done and acknowledged'));

  const workers = ['w1', 'w2', 'w3'].map((who) => {
    const zk = connect();
    queue(zk, '/queues/jobs')
      .process$((item) => {
        log(who, `works on ${item.data.toString()}`);
        return timer(400).pipe(map(() => item.data.toString()));
      })
      .subscribe((job) => log(who, `finished ${job}`));
    return zk;
  });

  at(600, async () => {
    log('w2', 'dies in the middle of its job');
    await workers[1]!.close();
  });
  at(2_500, async () => {
    await jobs.offer('late-job');
    log('producer', 'offered late-job');
  });
});
