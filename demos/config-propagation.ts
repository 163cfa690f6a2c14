/**
 * Configuration updates propagating: three services (three sessions) follow one JSON config
 * node; an operator changes it with compare-and-set. Every subscriber converges on the latest
 * value, and `distinctUntilChanged` on a field reacts only to what a service cares about.
 *
 *   npm run demo:config [-- --duration 12]
 */
import { distinctUntilChanged, filter, firstValueFrom, map, ReplaySubject } from 'rxjs';
import { json } from '../src/index.js';
import { runDemo } from './support/demo.js';

interface AppConfig {
  rev: number;
  rateLimit: number;
  banner: string;
}

await runDemo('configuration updates propagating to several subscribers', { seconds: 10 }, async ({ connect, every, log }) => {
  const operator = connect();
  await operator.create('/config/app', JSON.stringify({ rev: 1, rateLimit: 100, banner: 'hello' }), { parents: true });

  // Every revision each service has seen, so that each write can wait until all of them have it.
  const seen$ = new ReplaySubject<{ service: string; rev: number }>();
  const services = ['api', 'worker', 'gateway'];
  for (const service of services) {
    const config$ = connect().data$('/config/app').pipe(json<AppConfig>());
    config$.subscribe((config) => {
      log(service, config);
      if (config) seen$.next({ service, rev: config.rev });
    });
  }
  // A subscriber that only cares about the rate limit.
  connect()
    .data$('/config/app')
    .pipe(
      json<AppConfig>(),
      map((config) => config?.rateLimit),
      distinctUntilChanged(),
    )
    .subscribe((rateLimit) => log('limiter', `rate limit is ${rateLimit}`));

  every(2_000, async () => {
    // Compare-and-set: the write only lands on the version it was computed from.
    const { data, stat } = await operator.get('/config/app');
    const current = JSON.parse(data.toString()) as AppConfig;
    const next: AppConfig = {
      rev: current.rev + 1,
      rateLimit: current.rev % 2 === 0 ? current.rateLimit + 50 : current.rateLimit,
      banner: `hello #${current.rev + 1}`,
    };
    await operator.set('/config/app', JSON.stringify(next), { version: stat.version });
    log('operator', `wrote rev ${next.rev}`);
    const pending = new Set(services);
    await firstValueFrom(seen$.pipe(filter(({ service, rev }) => rev >= next.rev && pending.delete(service) && pending.size === 0)));
  });
});
