/**
 * Imported first (`--import`) by the bench and by its child processes: when `RXZK_BENCH_BUILD`
 * names a build of `src/`, modules of `src/` are loaded from it. The bench's own modules still
 * import `../src/...`, which keeps them type-checked against the sources.
 */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const build = process.env['RXZK_BENCH_BUILD'];
if (build) {
  const srcUrl = new URL('../../src/', import.meta.url).href;
  const buildUrl = pathToFileURL(`${build.replace(/\/$/, '')}/`).href;
  register('./build-hooks.ts', import.meta.url, { data: { srcUrl, buildUrl } });
}
