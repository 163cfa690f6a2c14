// Four clients add to one counter at the same time, 25 times each; every add lands exactly once.
// Then two of them race to move it on with compareAndSet: exactly one wins.
//   npm run demo:counter                    (an embedded ZooKeeper; or set ZK_CONNECT)
import { auditTime } from 'rxjs';
import { connect, counter } from '../../src/index.js';
import { startZooKeeper } from '../../src/testing/index.js';

const server = await startZooKeeper(); // uses ZK_CONNECT instead when it is set
const path = `/demo/counter-${process.pid}`;
const clients = ['c1', 'c2', 'c3', 'c4'].map((name) => ({ name, zk: connect(server.connectString) }));
const started = Date.now();
const log = (line: string) => console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`);

try {
  const watching = counter(clients[0]!.zk, path)
    .value$.pipe(auditTime(50))
    .subscribe((n) => log(`value$: ${n}`));
  await Promise.all(
    clients.map(async ({ name, zk }) => {
      const hits = counter(zk, path);
      let last = 0;
      for (let i = 0; i < 25; i++) last = await hits.add(1);
      log(`${name} made its 25 adds (its last one made ${last})`);
    }),
  );
  const total = await counter(clients[0]!.zk, path).get();
  log(`total: ${total} (4 x 25)`);
  const [first, second] = await Promise.all([
    counter(clients[1]!.zk, path).compareAndSet(total, 1_000),
    counter(clients[2]!.zk, path).compareAndSet(total, 2_000),
  ]);
  log(`compareAndSet(${total}, 1000) by c2: ${first}; compareAndSet(${total}, 2000) by c3: ${second}`);
  log(`value now: ${await counter(clients[3]!.zk, path).get()}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  watching.unsubscribe();
} finally {
  await clients[0]!.zk.delete(path).catch(() => undefined);
  await Promise.all(clients.map((c) => c.zk.close()));
  await server.stop();
}
