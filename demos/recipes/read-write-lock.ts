// Readers share the lock, writers hold it alone, everyone in arrival order: three readers and two
// writers on separate clients, each taking the lock three times.
//   npm run demo:read-write-lock            (an embedded ZooKeeper; or set ZK_CONNECT)
import { defer, lastValueFrom, map, merge, repeat, timer, timeout } from 'rxjs';
import { connect, withReadLock, withWriteLock } from '../../src/index.js';
import { startZooKeeper } from '../../src/testing/index.js';

const server = await startZooKeeper(); // uses ZK_CONNECT instead when it is set
const path = `/demo/read-write-lock-${process.pid}`;
const participants = ['reader-1', 'writer-1', 'reader-2', 'reader-3', 'writer-2'];
const clients = participants.map(() => connect(server.connectString));
const started = Date.now();
const log = (line: string) => console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`);

const rounds = participants.map((name, i) => {
  const zk = clients[i]!;
  const withSide = name.startsWith('reader') ? withReadLock : withWriteLock;
  const work = () => {
    log(`${name} holds the ${name.startsWith('reader') ? 'read' : 'write'} lock`);
    return timer(200).pipe(map(() => `${name} released`));
  };
  return defer(() => withSide(zk, path, work)).pipe(repeat({ count: 3, delay: () => timer(50 + 100 * i) }));
});

try {
  await lastValueFrom(merge(...rounds).pipe(map(log), timeout(30_000)), { defaultValue: undefined });
} finally {
  await clients[0]!.delete(path, { recursive: true }).catch(() => undefined);
  await Promise.all(clients.map((zk) => zk.close()));
  await server.stop();
}
