/**
 * Typed configuration: two services follow a validated rate-limit configuration. An operator
 * updates it, someone writes an invalid value by hand (reported; the services keep the last good
 * one), and three admins bump it at the same moment (no update is lost).
 *
 *   npm run demo:typed-config [-- --duration 4]
 */
import { config } from '../../src/index.js';
import { runDemo } from '../support/demo.js';

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

const options = { parse: parseLimits, defaults: { rps: 100, burst: 0 } };

await runDemo('a typed, validated configuration', { seconds: 4 }, async ({ connect, at, log }) => {
  for (const service of ['api', 'worker']) {
    config(connect(), '/config/limits', { ...options, onInvalid: (error) => log(service, `ignores ${error.message}`) }).value$.subscribe(
      (limits) => log(service, limits),
    );
  }
  const operator = connect();
  const limits = config(operator, '/config/limits', options);

  at(500, async () => {
    log('operator', 'doubles rps');
    await limits.update((c) => ({ ...c, rps: c.rps * 2 }));
  });
  at(1_000, async () => {
    log('someone', 'writes {"rps": "fast"} by hand');
    await operator.set('/config/limits', '{"rps": "fast"}');
  });
  at(1_500, async () => {
    log('operator', 'sets a valid value again');
    await limits.set({ rps: 250, burst: 10 });
  });
  at(2_000, async () => {
    log('admins', 'ann, bob and cat each add 5 to burst at the same moment');
    await Promise.all(['ann', 'bob', 'cat'].map(() => config(connect(), '/config/limits', options).update((c) => ({ ...c, burst: c.burst + 5 }))));
    log('admins', `done: ${JSON.stringify(await limits.get())}`);
  });
});
