/**
 * Typed configuration: two services follow a validated rate-limit configuration. An operator
 * updates it, someone writes an invalid value by hand (reported; the services keep the last good
 * one), and three admins bump it at the same moment (no update is lost).
 *
 * Each step waits until both services have seen what it did, so every run shows all of it.
 *
 *   npm run demo:typed-config [-- --duration 4]
 */
import { filter, firstValueFrom, map, ReplaySubject, timeout } from 'rxjs';
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
const SERVICES = ['api', 'worker'];

await runDemo('a typed, validated configuration', { seconds: 4 }, async ({ connect, at, log }) => {
  // What each service has seen, as one stream: [service, 'value' | 'ignored', limits or error].
  const seen$ = new ReplaySubject<{ service: string; limits?: Limits; ignored?: string }>();
  for (const service of SERVICES) {
    const onInvalid = (error: Error) => {
      log(service, `ignores ${error.message}`);
      seen$.next({ service, ignored: error.message });
    };
    config(connect(), '/config/limits', { ...options, onInvalid }).value$.subscribe((limits) => {
      log(service, limits);
      seen$.next({ service, limits });
    });
  }
  /** Resolves once every service has seen something `matches` accepts. */
  const allSee = (what: string, matches: (event: { limits?: Limits; ignored?: string }) => boolean) => {
    const pending = new Set(SERVICES);
    return firstValueFrom(
      seen$.pipe(
        filter((event) => matches(event) && pending.delete(event.service) && pending.size === 0),
        map(() => undefined),
        timeout({ first: 10_000, with: () => Promise.reject(new Error(`the services did not all see ${what} within 10 s`)) }),
      ),
    );
  };
  const operator = connect();
  const limits = config(operator, '/config/limits', options);

  at(500, async () => {
    log('operator', 'doubles rps');
    const doubled = await limits.update((c) => ({ ...c, rps: c.rps * 2 }));
    await allSee('the doubled rps', (e) => e.limits?.rps === doubled.rps);

    log('someone', 'writes {"rps": "fast"} by hand');
    await operator.set('/config/limits', '{"rps": "fast"}');
    await allSee('the invalid value', (e) => e.ignored !== undefined);

    log('operator', 'sets a valid value again');
    await limits.set({ rps: 250, burst: 10 });
    await allSee('the valid value', (e) => e.limits?.rps === 250);

    log('admins', 'ann, bob and cat each add 5 to burst at the same moment');
    await Promise.all(
      ['ann', 'bob', 'cat'].map(() => config(connect(), '/config/limits', options).update((c) => ({ ...c, burst: c.burst + 5 }))),
    );
    const final = await limits.get();
    log('admins', `done: ${JSON.stringify(final)}, no update lost`);
    await allSee('the final value', (e) => e.limits?.burst === final.burst);
  });
});
