/**
 * Counter: four clients add to one counter at the same time, 25 times each; every add lands
 * exactly once. Then two of them race to move it on with compareAndSet: exactly one wins.
 *
 *   npm run demo:counter [-- --duration 3]
 */
import { auditTime } from 'rxjs';
import { counter } from '../../src/index.js';
import { runDemo } from '../support/demo.js';

await runDemo('a shared counter', { seconds: 3 }, async ({ connect, log }) => {
  counter(connect(), '/counters/hits')
    .value$.pipe(auditTime(100))
    .subscribe((n) => log('value$', n));

  await Promise.all(
    ['c1', 'c2', 'c3', 'c4'].map(async (who) => {
      const hits = counter(connect(), '/counters/hits');
      let last = 0;
      for (let i = 0; i < 25; i++) last = await hits.add(1);
      log(who, `made its 25 adds (its last one made ${last})`);
    }),
  );
  const total = await counter(connect(), '/counters/hits').get();
  log('total', `${total}: 4 x 25, none lost, none twice`);

  const [c2, c3] = await Promise.all([
    counter(connect(), '/counters/hits').compareAndSet(total, 1_000),
    counter(connect(), '/counters/hits').compareAndSet(total, 2_000),
  ]);
  log('c2', `compareAndSet(${total}, 1000): ${c2}`);
  log('c3', `compareAndSet(${total}, 2000): ${c3}`);
});
