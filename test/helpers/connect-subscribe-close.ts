// Connects, subscribes to every kind of stream, runs an operation, closes, and then does nothing:
// the close test checks that this process exits by itself, i.e. that close() leaves no timer or
// socket behind.
import { connect } from '../../src/index.js';

const [connectString, path] = process.argv.slice(2) as [string, string];
const zk = connect(connectString, { sessionTimeoutMs: 30_000, operationTimeoutMs: 30_000 });
const subscriptions = [
  zk.state$.subscribe(),
  zk.data$(path).subscribe(),
  zk.children$(path).subscribe(),
  zk.exists$(path).subscribe(),
  zk.tree$(path).subscribe(),
  zk.deleted$(path).subscribe(),
];
await zk.ready({ timeoutMs: 20_000 });
await zk.create(path, 'from the child', { mode: 'ephemeral' });
await zk.get(path);
await zk.close();
process.stdout.write(`closed ${subscriptions.filter((s) => s.closed).length}/${subscriptions.length}\n`);
