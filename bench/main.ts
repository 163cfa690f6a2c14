/**
 * rxzk's benchmark suite: each scenario for rxzk and for the raw node-zookeeper-client doing the
 * same work by hand, alternating round by round on the same server in the same run.
 *
 *   npm run bench                     full run (a few minutes)
 *   npm run bench -- --quick          smoke check (under a minute)
 *   npm run bench -- --ensemble       against a 3-member ensemble
 *   npm run bench -- --only fan-out,tree
 *   npm run bench -- --compare bench/results/<earlier>.json
 *   npm run bench -- --source         measure src/ through tsx instead of the compiled build
 *
 * This entry compiles the library first (see build-library.ts), then runs `run.ts` with `src/`
 * loaded from the build. See bench/README.md.
 */
import { buildLibrary } from './lib/build-library.js';

const args = process.argv.slice(2);
if (!args.includes('--source') && !args.includes('--help') && !args.includes('--list')) {
  process.stderr.write('compiling src/ (tsconfig.build.json)\n');
  process.env['RXZK_BENCH_BUILD'] = await buildLibrary();
  await import('./lib/use-build.js');
}
await import('./run.js');
