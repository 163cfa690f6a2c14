// Two services follow a typed rate-limit configuration. An operator updates it, someone writes an
// invalid value by hand (reported; the services keep the last good one), and three admins bump it
// at the same time (no update is lost).
//   npm run demo:typed-config               (an embedded ZooKeeper; or set ZK_CONNECT)
import { firstValueFrom, timer } from 'rxjs';
import { config, connect } from '../../src/index.js';
import { startZooKeeper } from '../../src/testing/index.js';

interface Limits {
  rps: number;
  burst: number;
}

/** Validation, as a schema library would do it: throws on anything that is not a Limits. */
function parseLimits(raw: unknown): Limits {
  const { rps, burst } = (raw ?? {}) as Partial<Limits>;
  if (typeof rps !== 'number' || rps <= 0) throw new Error('rps must be a positive number');
  if (typeof burst !== 'number' || burst < 0) throw new Error('burst must be a number >= 0');
  return { rps, burst };
}

const server = await startZooKeeper(); // uses ZK_CONNECT instead when it is set
const path = `/demo/config-${process.pid}`;
const services = ['api', 'worker'].map((name) => ({ name, zk: connect(server.connectString) }));
const admins = ['ann', 'bob', 'cat'].map((name) => ({ name, zk: connect(server.connectString) }));
const started = Date.now();
const log = (line: string) => console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`);
const settle = () => firstValueFrom(timer(200));
const options = { parse: parseLimits, defaults: { rps: 100, burst: 0 } };

try {
  const following = services.map(({ name, zk }) =>
    config(zk, path, { ...options, onInvalid: (error) => log(`${name} ignores an invalid value: ${error.message}`) }).value$.subscribe(
      (limits) => log(`${name} runs with ${JSON.stringify(limits)}`),
    ),
  );
  await settle();
  const operator = config(admins[0]!.zk, path, options);
  log('ann doubles rps');
  await operator.update((c) => ({ ...c, rps: c.rps * 2 }));
  await settle();
  log('someone writes {"rps": "fast"} by hand');
  await admins[0]!.zk.set(path, '{"rps": "fast"}');
  await settle();
  log('ann sets a valid value again');
  await operator.set({ rps: 250, burst: 10 });
  await settle();
  log('ann, bob and cat each add 5 to burst, at the same time');
  await Promise.all(admins.map(({ zk }) => config(zk, path, options).update((c) => ({ ...c, burst: c.burst + 5 }))));
  await settle();
  log(`final: ${JSON.stringify(await operator.get())}`);
  for (const f of following) f.unsubscribe();
} finally {
  await admins[0]!.zk.delete(path).catch(() => undefined);
  await Promise.all([...services, ...admins].map(({ zk }) => zk.close()));
  await server.stop();
}
