import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Inside the repository, so that the build resolves `rxjs` and the wire client from its node_modules. */
export const BUILD_DIR = fileURLToPath(new URL('../.build/', import.meta.url));

/**
 * Compiles `src/` with the package's own build settings (`tsconfig.build.json`) into
 * `bench/.build/`. The bench measures that, not the sources through tsx: tsx's transform keeps
 * function names by wrapping every closure as it is created, which costs a hot path like
 * `zk.set()` about a third more CPU than the published JavaScript does.
 */
export async function buildLibrary(): Promise<string> {
  await rm(BUILD_DIR, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR, '--declaration', 'false', '--declarationMap', 'false'],
    { cwd: REPO },
  );
  return BUILD_DIR;
}
