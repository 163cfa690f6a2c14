// Three members join a group at different times; one leaves, one crashes. An observer and a
// member print the membership as it changes.
//   npm run demo:group                      (an embedded ZooKeeper; or set ZK_CONNECT)
import { firstValueFrom, timer } from 'rxjs';
import { connect, group, members$, type GroupMember } from '../../src/index.js';
import { startZooKeeper } from '../../src/testing/index.js';

const server = await startZooKeeper(); // uses ZK_CONNECT instead when it is set
const path = `/demo/group-${process.pid}`;
const observer = connect(server.connectString);
const member = () => connect(server.connectString, { sessionTimeoutMs: 4_000 });
const [a, b, c] = [member(), member(), member()];
const started = Date.now();
const log = (line: string) => console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`);
const show = (members: readonly GroupMember[]) => members.map((m) => `${m.id}=${JSON.stringify(m.data)}`).join(' ') || '(nobody)';
const pause = (ms: number) => firstValueFrom(timer(ms));

try {
  const watching = members$(observer, path).subscribe((members) => log(`observer sees: ${show(members)}`));
  const memberA = group(a, path, { id: 'worker-a', data: { slots: 4 } }).subscribe((members) => log(`worker-a sees: ${show(members)}`));
  await pause(300);
  const memberB = group(b, path, { id: 'worker-b', data: { slots: 2 } }).subscribe();
  await pause(300);
  group(c, path, { id: 'worker-c' }).subscribe();
  await pause(300);
  log('worker-b leaves');
  memberB.unsubscribe();
  await pause(300);
  log('worker-c crashes (its session ends)');
  await c.close();
  await pause(300);
  memberA.unsubscribe();
  watching.unsubscribe();
} finally {
  await observer.delete(path, { recursive: true }).catch(() => undefined);
  await Promise.all([observer, a, b, c].map((zk) => zk.close()));
  await server.stop();
}
