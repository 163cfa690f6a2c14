// Three workers wait at a barrier that a coordinator set; one second later it lifts the barrier
// and they all go on.
//   npm run demo:barrier                    (an embedded ZooKeeper; or set ZK_CONNECT)
import { lastValueFrom, map, merge, timeout } from 'rxjs';
import { barrier, connect } from '../../src/index.js';
import { startZooKeeper } from '../../src/testing/index.js';

const server = await startZooKeeper(); // uses ZK_CONNECT instead when it is set
const path = `/demo/barrier-${process.pid}`;
const coordinator = connect(server.connectString);
const workers = ['w1', 'w2', 'w3'].map((name) => ({ name, zk: connect(server.connectString) }));
const started = Date.now();
const log = (line: string) => console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`);

try {
  const gate = barrier(coordinator, path);
  await gate.set();
  log('coordinator set the barrier');
  const passed = merge(
    ...workers.map(({ name, zk }) => {
      log(`${name} waits`);
      return barrier(zk, path).wait$({ timeoutMs: 10_000 }).pipe(map(() => log(`${name} passes`)));
    }),
  );
  setTimeout(() => {
    log('coordinator lifts the barrier');
    void gate.remove();
  }, 1_000);
  await lastValueFrom(passed.pipe(timeout(15_000)), { defaultValue: undefined });
} finally {
  await coordinator.delete(path).catch(() => undefined);
  await Promise.all([coordinator, ...workers.map((w) => w.zk)].map((zk) => zk.close()));
  await server.stop();
}
