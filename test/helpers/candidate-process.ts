// A candidate in a process of its own: stands for leadership and registers as a service, printing
// one JSON line per change, until it is killed. Usage: candidate-process.ts <connect> <path> <id>
import { connect, leadership, register } from '../../src/index.js';

const [connectString, path, id] = process.argv.slice(2) as [string, string, string];
const zk = connect(connectString, { sessionTimeoutMs: 2_000 });
leadership(zk, `${path}/election`, { id }).subscribe((l) => process.stdout.write(`${JSON.stringify({ leadership: l })}\n`));
register(zk, `${path}/services`, { id, host: '127.0.0.1', port: 1 }).subscribe((r) =>
  process.stdout.write(`${JSON.stringify({ registration: r.state })}\n`),
);
setInterval(() => {}, 60_000);
