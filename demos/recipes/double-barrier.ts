/**
 * Double barrier: three workers arrive at different times, start computing together once all
 * three are there, and each leaves only once all three are done, however long each computes.
 *
 *   npm run demo:double-barrier [-- --duration 6]
 */
import { concat, ignoreElements, tap, timer } from 'rxjs';
import { doubleBarrier } from '../../src/index.js';
import { runDemo } from '../support/demo.js';

await runDemo('double barrier', { seconds: 6 }, ({ connect, at, log }) => {
  const workers = [
    { who: 'w1', arrivesAtMs: 200, computesMs: 1_500 },
    { who: 'w2', arrivesAtMs: 800, computesMs: 300 },
    { who: 'w3', arrivesAtMs: 1_400, computesMs: 800 },
  ];
  for (const { who, arrivesAtMs, computesMs } of workers) {
    const member = doubleBarrier(connect(), '/barriers/epoch-1', { count: workers.length, id: who, timeoutMs: 10_000 });
    const compute = timer(computesMs).pipe(
      tap({ subscribe: () => log(who, `computes for ${computesMs} ms`), next: () => log(who, 'is done') }),
      ignoreElements(),
    );
    at(arrivesAtMs, () =>
      concat(member.enter$(), compute, member.leave$()).pipe(
        tap(({ phase, members }) => log(who, `${phase} [${members.join(', ')}]`)),
      ),
    );
  }
});
