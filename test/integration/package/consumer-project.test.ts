// The package as a user gets it: packed from a fresh copy of the sources (so `prepack` must build
// `dist`), installed into a project of its own, compiled there by a strict TypeScript under
// `module: nodenext` and `moduleResolution: bundler` with `types: []` and `skipLibCheck: false`,
// and run as an ES module and as CommonJS against the integration run's ZooKeeper.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/index.js';
import { sharedConnectString } from '../../helpers/zk.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

/** npm itself: the one running `npm test` when there is one, else the one on the PATH. */
const npm = (args: string[], cwd: string) => {
  const cli = process.env['npm_execpath'];
  const [file, argv] = cli?.endsWith('.js') ? [process.execPath, [cli, ...args]] : ['npm', args];
  return run(file, argv, { cwd, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
};

/** What a fresh clone holds that packing needs (no `dist`). */
const SOURCES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'CHANGELOG.md', 'src'];

/** The consumer's program; `FORMAT` is 'esm' or 'cjs'. The same text is compiled both ways. */
const program = `
import { firstValueFrom, Observable } from 'rxjs';
import { acquireLock, connect, jsonReplacer, NoNodeError, statToJson, ZkError, type ZNode } from 'rxzk';
import { positionIn } from 'rxzk/advanced';
import { startZooKeeper } from 'rxzk/testing';

export async function main(format: string): Promise<void> {
  // With RXZK_TEST_ZOOKEEPER set, rxzk/testing hands out that server instead of starting one.
  const server = await startZooKeeper();
  const zk = connect(server.connectString);
  try {
    await zk.ready({ timeoutMs: 20_000 });
    const root = \`\${process.env['CONSUMER_ROOT'] ?? '/consumer'}/\${format}\`;
    const created = await zk.create(\`\${root}/config\`, '{"rps":100}', { parents: true });
    const stream = zk.data$(created);
    const node: ZNode | null = await firstValueFrom(stream);
    const missing = await zk.get(\`\${root}/missing\`).catch((error: unknown) => error);
    let token = '';
    {
      await using lease = await acquireLock(zk, \`\${root}/lock\`);
      token = JSON.stringify({ token: lease.fencingToken }, jsonReplacer);
    }
    console.log(
      JSON.stringify({
        format,
        data: node?.data.toString(),
        oneRxjs: stream instanceof Observable,
        statJson: node !== null && statToJson(node.stat).czxid === node.stat.czxid.toString(),
        typedError: missing instanceof NoNodeError && missing instanceof ZkError,
        tokenIsDecimal: /^\\d+$/.test((JSON.parse(token) as { token: string }).token),
        leftUnderLock: (await zk.getChildren(\`\${root}/lock\`)).length,
        advanced: positionIn([], 'none').present,
      }),
    );
  } finally {
    await zk.close();
    await server.stop();
  }
}
`;

const strict = {
  target: 'es2022',
  strict: true,
  types: [],
  skipLibCheck: false,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  isolatedModules: true,
  moduleDetection: 'force',
  rootDir: 'src',
};

let work: string;
let app: string;
let tarball: string;
const root = `/rxzk-test/consumer-${randomUUID()}`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rxzk-consumer-'));
  const clone = join(work, 'clone');
  mkdirSync(clone);
  for (const entry of SOURCES) cpSync(join(repo, entry), join(clone, entry), { recursive: true });
  // The build's own tools (TypeScript), as `npm ci` would have installed them.
  symlinkSync(join(repo, 'node_modules'), join(clone, 'node_modules'), 'dir');
  await npm(['pack', '--pack-destination', work], clone);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);

  app = join(work, 'app');
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'rxzk-consumer', private: true, type: 'module' }));
  await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, 'rxjs@^7.8.0'], app);

  writeFileSync(join(app, 'src', 'esm.ts'), `${program}\nawait main('esm');\n`);
  writeFileSync(
    join(app, 'src', 'cjs.cts'),
    `${program}\nmain('cjs').catch((error: unknown) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n`,
  );
  const tsconfig = (name: string, options: object, include: string[]) =>
    writeFileSync(join(app, name), JSON.stringify({ compilerOptions: { ...strict, ...options }, include }));
  tsconfig('tsconfig.nodenext.json', { module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out/nodenext' }, [
    'src/esm.ts',
    'src/cjs.cts',
  ]);
  tsconfig(
    'tsconfig.bundler.json',
    { module: 'esnext', moduleResolution: 'bundler', verbatimModuleSyntax: true, outDir: 'out/bundler' },
    ['src/esm.ts'],
  );
}, 600_000);

afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true });
  const zk = connect(sharedConnectString());
  try {
    await zk.ready({ timeoutMs: 20_000 });
    await zk.delete(root, { recursive: true }).catch(() => undefined);
  } finally {
    await zk.close();
  }
});

/** Runs a compiled program of the consumer (under a root node of its own) and returns what it printed. */
async function runProgram(file: string, name: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, [file], {
    cwd: app,
    timeout: 60_000,
    env: { ...process.env, RXZK_TEST_ZOOKEEPER: sharedConnectString(), CONSUMER_ROOT: `${root}/${name}` },
  });
  return JSON.parse(stdout.trim());
}

/** Compiles the consumer with one of its configurations; resolves with the compiler's complaints. */
function compile(config: string): Promise<string> {
  return run(process.execPath, [tsc, '-p', config], { cwd: app }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string; message: string }) => error.stdout || error.message,
  );
}

const expected = (format: string) => ({
  format,
  data: '{"rps":100}',
  oneRxjs: true,
  statJson: true,
  typedError: true,
  tokenIsDecimal: true,
  leftUnderLock: 0,
  advanced: false,
});

describe('the packed package in a consumer project', () => {
  it('ships the built entry points, their declarations and the command line', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n');
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/advanced.js', 'dist/advanced.d.ts', 'dist/testing/index.js', 'dist/testing/index.d.ts', 'dist/cli/main.js']) {
      expect(files).toContain(`package/${file}`);
    }
    expect(files.some((f) => f.startsWith('package/test/'))).toBe(false);
  });

  it('compiles under module nodenext (ESM and CommonJS files), strict, types: [], skipLibCheck: false', async () => {
    expect(await compile('tsconfig.nodenext.json')).toBe('');
  }, 120_000);

  it('compiles under moduleResolution bundler, strict, types: [], skipLibCheck: false', async () => {
    expect(await compile('tsconfig.bundler.json')).toBe('');
  }, 120_000);

  it('runs as an ES module against a real server', async () => {
    expect(await runProgram(join('out', 'nodenext', 'esm.js'), 'nodenext')).toEqual(expected('esm'));
  });

  it('runs as CommonJS (require of rxzk, rxzk/advanced and rxzk/testing) against a real server', async () => {
    expect(await runProgram(join('out', 'nodenext', 'cjs.cjs'), 'nodenext')).toEqual(expected('cjs'));
  });

  it('runs as built for a bundler', async () => {
    expect(await runProgram(join('out', 'bundler', 'esm.js'), 'bundler')).toEqual(expected('esm'));
  });
});
