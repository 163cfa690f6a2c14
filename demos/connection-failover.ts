/**
 * The connection state through a failover: a 3-server ensemble; the client's state$ and a data$
 * stream are logged while the ensemble's leader is killed (clients see `suspended`, then
 * `reconnected` once a new leader is elected, the same session throughout), the member comes
 * back, and then the session is expired (`lost`, then `connected` with a new session). The
 * data$ stream goes on through all of it.
 *
 *   npm run demo:failover [-- --duration 25]
 */
import { utf8 } from '../src/index.js';
import { expireSession } from '../src/testing/index.js';
import { runDemo } from './support/demo.js';

await runDemo('connection state through a failover', { seconds: 25, servers: 3 }, async ({ server, connect, at, every, log }) => {
  const zk = connect();
  zk.state$.subscribe((state) => log('state$', state, zk.sessionId ? `session 0x${zk.sessionId}` : ''));
  zk.data$('/ticks').pipe(utf8()).subscribe((tick) => log('data$', tick));

  const writer = connect();
  await writer.create('/ticks', '0');
  let tick = 0;
  every(1_000, () => writer.set('/ticks', String(++tick)));

  if (server.source === 'external') {
    log('ensemble', 'ZK_CONNECT: the demo cannot kill members of an ensemble it did not start; skipping to expiry');
  } else {
    let killed = -1;
    at(3_000, async () => {
      killed = await server.leaderIndex();
      log('ensemble', `killing the leader, member ${killed} (${server.address(killed)})`);
      await server.kill(killed);
    });
    at(10_000, async () => {
      log('ensemble', `restarting member ${killed}`);
      await server.restart(killed);
      log('ensemble', `member ${killed} serves again`);
    });
  }
  at(15_000, async () => {
    log('session', `expiring session 0x${zk.sessionId}`);
    await expireSession(zk);
  });
});
