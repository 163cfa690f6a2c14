// A producer offers eight jobs (one of them urgent) to three workers on separate clients; worker
// w2 dies in the middle of a job, and its job goes to another worker: nothing is lost.
//   npm run demo:queue                      (an embedded ZooKeeper; or set ZK_CONNECT)
import { filter, firstValueFrom, map, merge, timeout, timer } from 'rxjs';
import { connect, queue } from '../../src/index.js';
import { startZooKeeper } from '../../src/testing/index.js';

const server = await startZooKeeper(); // uses ZK_CONNECT instead when it is set
const path = `/demo/queue-${process.pid}`;
const producer = connect(server.connectString);
const workers = ['w1', 'w2', 'w3'].map((name) => ({ name, zk: connect(server.connectString) }));
const started = Date.now();
const log = (line: string) => console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`);

try {
  const jobs = queue(producer, path);
  for (let i = 1; i <= 7; i++) await jobs.offer(`job-${i}`);
  await jobs.offer('urgent', { priority: -1 });
  log('producer offered job-1..job-7 and an urgent job');

  const done = merge(
    ...workers.map(({ name, zk }) =>
      queue(zk, path).process$((item) => {
        log(`${name} works on ${item.data.toString()}`);
        return timer(300).pipe(map(() => `${name} finished ${item.data.toString()}`));
      }),
    ),
  );
  setTimeout(() => {
    log('w2 dies (its client closes) before it finishes');
    void workers[1]!.zk.close();
  }, 450);

  const working = done.subscribe(log);
  // A job leaves the queue once its worker acknowledged it, just after it finished.
  await firstValueFrom(jobs.items$().pipe(filter((items) => items.length === 0), timeout(20_000)));
  log('every job is done and acknowledged: the queue is empty');
  working.unsubscribe();
} finally {
  await producer.delete(path, { recursive: true }).catch(() => undefined);
  await Promise.all([producer, ...workers.map((w) => w.zk)].map((zk) => zk.close()));
  await server.stop();
}
