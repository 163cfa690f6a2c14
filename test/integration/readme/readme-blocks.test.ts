// Every TypeScript block of the README, type-checked together and each run as printed against the
// integration run's ZooKeeper. The rules, which the README states where it introduces `zk`:
// - A block that uses `zk` without declaring it gets a connected client (one line before the block)
//   and, unless it closes `zk` itself, `await zk.close()` after it.
// - The string given to `connect(...)` is replaced by the server's address, with a namespace of the
//   block's own, so blocks do not see each other's nodes.
// - A block must end by itself: a client or server left open keeps it running, and fails the test.
// - A fragment that cannot run is marked, on the line before its fence, with
//   `<!-- type-check only: why -->`; it is still type-checked. Keep that rare: this test lists them.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/index.js';
import { sharedConnectString } from '../../helpers/zk.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const CHECK_ONLY = /^<!--\s*type-check only:\s*(.+?)\s*-->$/;
/** Blocks that start servers of their own (3-member ensembles) get longer to run. */
const RUN_TIMEOUT_MS = 240_000;

interface Block {
  /** 1-based README line of the block's first code line. */
  readonly line: number;
  /** The section it is in. */
  readonly heading: string;
  readonly code: string;
  /** Why it is only type-checked, when it is. */
  readonly checkOnly: string | null;
}

/** The TypeScript blocks of a Markdown text. */
function typeScriptBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#+ /.test(line)) heading = line.replace(/^#+ /, '');
    const fence = /^```(\w*)/.exec(line);
    if (!fence) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: a code block that never ends`);
    if (fence[1] === 'ts' || fence[1] === 'typescript') {
      const before = lines.slice(0, i).reverse().find((l) => l.trim() !== '') ?? '';
      blocks.push({
        line: i + 2,
        heading,
        code: lines.slice(i + 1, end).join('\n'),
        checkOnly: CHECK_ONLY.exec(before.trim())?.[1] ?? null,
      });
    }
    i = end;
  }
  return blocks;
}

const blocks = typeScriptBlocks(readFileSync(join(repo, 'README.md'), 'utf8'));
const namespace = `/rxzk-test/readme-${randomUUID()}`;
let work: string;

const fileOf = (index: number) => `block-${String(index + 1).padStart(2, '0')}.mts`;

/** The block as a module: the prelude is one line, so its line n is the file's line n + 1. */
function moduleOf(block: Block, index: number): string {
  const address = `${sharedConnectString()}${namespace}/${fileOf(index).replace('.mts', '')}`;
  const code = block.code.replace(/connect\((['"])[^'"]*\1/g, `connect(${JSON.stringify(address)}`);
  const usesZk = /\bzk\b/.test(code);
  const ownZk = /\b(?:const|let|var)\s+zk\b/.test(code);
  const prelude =
    usesZk && !ownZk
      ? `import { connect as connectForTheReadme } from 'rxzk'; const zk = connectForTheReadme(${JSON.stringify(address)}); await zk.ready({ timeoutMs: 20_000 });`
      : '';
  const epilogue = usesZk && !/\bzk\.close\(\)/.test(code) ? 'await zk.close();' : '';
  return `${prelude}\n${code}\n${epilogue}\nexport {};\n`;
}

/** `block-03.mts(12,5): error ...` as `README.md:<line>:5: error ...`. */
function inReadme(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const at = /^block-(\d+)\.mts\((\d+),(\d+)\): (.*)$/.exec(l);
      if (!at) return l;
      const block = blocks[Number(at[1]) - 1]!;
      return `README.md:${block.line + Number(at[2]) - 2}:${at[3]}: ${at[4]}`;
    });
}

function run(file: string, args: string[], timeout: number, env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(file, args, { cwd: work, timeout, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, output: `${stdout}${stderr}${error?.killed ? `\n(killed after ${timeout} ms: did it leave something open?)` : ''}` });
    });
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rxzk-readme-'));
  symlinkSync(join(repo, 'node_modules'), join(work, 'node_modules'), 'dir');
  // `rxzk` is this checkout's sources, for the compiler and for tsx alike.
  const tsconfig = {
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      strict: true,
      noEmit: true,
      types: ['node'],
      skipLibCheck: true,
      paths: { rxzk: [join(repo, 'src/index.ts')], 'rxzk/testing': [join(repo, 'src/testing/index.ts')] },
    },
    include: ['*.mts'],
  };
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  blocks.forEach((block, i) => writeFileSync(join(work, fileOf(i)), moduleOf(block, i)));
});

afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true });
  // The ACL example's node can only be read by alice.
  const zk = connect(sharedConnectString(), { auth: [{ scheme: 'digest', credentials: 'alice:secret' }] });
  try {
    await zk.ready({ timeoutMs: 20_000 });
    await zk.delete(namespace, { recursive: true }).catch(() => undefined);
  } finally {
    await zk.close();
  }
});

describe('README code blocks', () => {
  it('are found, and few are only type-checked', () => {
    expect(blocks.length).toBeGreaterThan(20);
    const checkOnly = blocks.filter((b) => b.checkOnly !== null).map((b) => `README.md:${b.line}: ${b.checkOnly!}`);
    expect(checkOnly.length, `type-check only:\n${checkOnly.join('\n')}`).toBeLessThanOrEqual(2);
  });

  it('type-check, all of them', async () => {
    const { code, output } = await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], 300_000);
    expect(inReadme(output)).toEqual([]);
    expect(code).toBe(0);
  }, 300_000);

  const runnable = blocks.map((block, i) => ({ block, i })).filter(({ block }) => block.checkOnly === null);
  it.each(runnable.map(({ block, i }) => [`README.md:${block.line} (${block.heading})`, i] as const))(
    'runs as printed: %s',
    async (_name, i) => {
      // Servers the blocks start themselves come from the local jars, not from this run's server.
      const { RXZK_TEST_ZOOKEEPER: _omitted, ...env } = process.env;
      const { code, output } = await run(process.execPath, ['--import', 'tsx', fileOf(i)], RUN_TIMEOUT_MS, env);
      expect(code, output).toBe(0);
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});
