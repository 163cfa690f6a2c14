// Starts a standalone ZooKeeper, prints its address, and waits to be killed: the harness test
// kills this process outright and checks that the JVM does not outlive it.
import { startZooKeeper } from '../../src/testing/index.js';

const server = await startZooKeeper({ source: 'local' });
process.stdout.write(`${server.address(0)}\n`);
setInterval(() => {}, 60_000);
