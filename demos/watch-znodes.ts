/**
 * Watching znodes: one node's data, a node's children and a whole subtree, each as a stream that
 * emits the current state, then every change (ZooKeeper's one-shot watches are re-armed for you).
 *
 *   npm run demo:watch [-- --duration 15]
 */
import { utf8 } from '../src/index.js';
import { runDemo } from './support/demo.js';

await runDemo('watching a znode, its children and a subtree', { seconds: 12 }, ({ connect, at, log }) => {
  const zk = connect();

  zk.data$('/app/motd').pipe(utf8()).subscribe((text) => log('data$', text));
  zk.children$('/app/workers').subscribe((names) => log('children$', names));
  zk.tree$('/app').subscribe((tree) =>
    log('tree$', Object.fromEntries([...tree].map(([path, node]) => [path, node.data.toString()]))),
  );

  // Another session changes things; the streams above follow.
  const writer = connect();
  at(1_000, () => writer.create('/app/motd', 'hello', { parents: true }));
  at(2_000, () => writer.create('/app/workers/w1', null, { parents: true }));
  at(3_000, () => writer.set('/app/motd', 'hello again'));
  at(4_000, () => writer.create('/app/workers/w2'));
  at(5_000, () => writer.delete('/app/workers/w1'));
  at(6_000, () => writer.delete('/app/motd'));
});
