// Three workers arrive at different times; they start computing together once all three are
// there, and each leaves only once all three are done.
//   npm run demo:double-barrier             (an embedded ZooKeeper; or set ZK_CONNECT)
import { concat, delay, ignoreElements, lastValueFrom, merge, of, switchMap, tap, timeout, timer } from 'rxjs';
import { connect, doubleBarrier } from '../../src/index.js';
import { startZooKeeper } from '../../src/testing/index.js';

const server = await startZooKeeper(); // uses ZK_CONNECT instead when it is set
const path = `/demo/double-barrier-${process.pid}`;
const workers = [
  { name: 'w1', arrivesAfterMs: 0, computesMs: 900 },
  { name: 'w2', arrivesAfterMs: 400, computesMs: 200 },
  { name: 'w3', arrivesAfterMs: 800, computesMs: 500 },
].map((w) => ({ ...w, zk: connect(server.connectString) }));
const started = Date.now();
const log = (line: string) => console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`);

const rounds = workers.map(({ name, arrivesAfterMs, computesMs, zk }) => {
  const member = doubleBarrier(zk, path, { count: workers.length, id: name, timeoutMs: 10_000 });
  const compute = timer(computesMs).pipe(
    tap({ subscribe: () => log(`${name} computes for ${computesMs} ms`), next: () => log(`${name} is done`) }),
    ignoreElements(),
  );
  return of(null).pipe(
    delay(arrivesAfterMs),
    tap(() => log(`${name} arrives`)),
    switchMap(() => concat(member.enter$(), compute, member.leave$())),
    tap(({ phase, members }) => log(`${name} ${phase} [${members.join(', ')}]`)),
  );
});

try {
  await lastValueFrom(merge(...rounds).pipe(timeout(20_000)), { defaultValue: undefined });
} finally {
  await workers[0]!.zk.delete(path, { recursive: true }).catch(() => undefined);
  await Promise.all(workers.map((w) => w.zk.close()));
  await server.stop();
}
