/**
 * Barrier: a coordinator sets a barrier, three workers wait at it, and two seconds later the
 * coordinator lifts it and they all go on. A worker that comes after it was lifted goes straight
 * through.
 *
 *   npm run demo:barrier [-- --duration 5]
 */
import { barrier } from '../../src/index.js';
import { runDemo } from '../support/demo.js';

await runDemo('barrier', { seconds: 5 }, async ({ connect, at, log }) => {
  const gate = barrier(connect(), '/barriers/deploy');
  await gate.set();
  log('coordinator', 'set the barrier');

  const wait = (who: string) => {
    log(who, 'waits at the barrier');
    barrier(connect(), '/barriers/deploy')
      .wait$({ timeoutMs: 10_000 })
      .subscribe({ next: () => log(who, 'goes on'), error: (error: Error) => log(who, error.message) });
  };
  at(200, () => wait('w1'));
  at(400, () => wait('w2'));
  at(600, () => wait('w3'));
  at(2_000, async () => {
    log('coordinator', 'lifts the barrier');
    await gate.remove();
  });
  at(3_000, () => wait('w4'));
});
