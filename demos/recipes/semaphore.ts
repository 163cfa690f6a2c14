// At most two of five workers hold a lease at once; each takes one three times, holds it for a
// moment and lets it go.
//   npm run demo:semaphore                  (an embedded ZooKeeper; or set ZK_CONNECT)
import { defer, lastValueFrom, merge, NEVER, repeat, switchMap, take, tap, timeout, timer } from 'rxjs';
import { connect, semaphore } from '../../src/index.js';
import { startZooKeeper } from '../../src/testing/index.js';

const server = await startZooKeeper(); // uses ZK_CONNECT instead when it is set
const path = `/demo/semaphore-${process.pid}`;
const workers = ['w1', 'w2', 'w3', 'w4', 'w5'];
const clients = workers.map(() => connect(server.connectString));
const started = Date.now();
let holding = 0;
const log = (line: string) => console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`);

const leases = workers.map((name, i) =>
  defer(() => semaphore(clients[i]!, path, { permits: 2 })).pipe(
    tap(({ state }) => {
      if (state === 'acquired') holding++;
      log(`${name} ${state}${state === 'acquired' ? ` (${holding} holding)` : ''}`);
    }),
    // Hold the lease for 300 ms, then unsubscribe: that releases it.
    switchMap(({ state }) => (state === 'acquired' ? timer(300) : NEVER)),
    take(1),
    tap(() => {
      holding--;
      log(`${name} released`);
    }),
    repeat({ count: 3, delay: () => timer(100 * i) }),
  ),
);

try {
  await lastValueFrom(merge(...leases).pipe(timeout(30_000)), { defaultValue: undefined });
} finally {
  await clients[0]!.delete(path, { recursive: true }).catch(() => undefined);
  await Promise.all(clients.map((zk) => zk.close()));
  await server.stop();
}
