import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { eventually } from './waiting.js';
import { sharedConnectString } from './zk.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** How a finished process ended and what it printed. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  /** Extra environment; `ZK_CONNECT` defaults to the shared server. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. */
  input?: string | Buffer;
  /** The process is killed (and the test fails) if it has not ended by then. Default 30000. */
  timeoutMs?: number;
}

/** A process the test started and follows line by line. */
export interface RunningProcess {
  readonly pid: number;
  /** Complete stdout lines so far. */
  readonly lines: string[];
  /** Complete stderr lines so far. */
  readonly errorLines: string[];
  /** Resolves with the first stdout line (from `from` on) that matches, failing after `timeoutMs`. */
  waitForLine(match: RegExp | ((line: string) => boolean), what: string, timeoutMs?: number, from?: number): Promise<string>;
  /** Sends SIGINT, as Ctrl-C does. */
  interrupt(): void;
  /** Sends `signal` (default SIGKILL: the process ends at once, no cleanup of its own). */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when the process has ended. */
  readonly exited: Promise<ProcessResult>;
}

/** Starts `script` under Node with tsx; killed (by its PID) when the test ends if still running. */
export function spawnScript(script: string, args: readonly string[], options: SpawnOptions = {}): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ZK_CONNECT: sharedConnectString(), NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return follow(child, options);
}

/** Starts the `rxzk` CLI from source with `args`. */
export function startCli(args: readonly string[], options: SpawnOptions = {}): RunningProcess {
  return spawnScript(CLI, args, options);
}

/** Runs the `rxzk` CLI to completion. */
export function runCli(args: readonly string[], options: SpawnOptions = {}): Promise<ProcessResult> {
  return startCli(args, options).exited;
}

function follow(child: ChildProcess, options: SpawnOptions): RunningProcess {
  const pid = child.pid;
  if (pid === undefined) throw new Error('the process could not be started');
  let stdout = '';
  let stderr = '';
  const lines: string[] = [];
  const errorLines: string[] = [];
  let outRest = '';
  let errRest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    outRest += chunk.toString();
    const parts = outRest.split('\n');
    outRest = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    errRest += chunk.toString();
    const parts = errRest.split('\n');
    errRest = parts.pop()!;
    errorLines.push(...parts);
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();

  let running = true;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exited = new Promise<ProcessResult>((resolve, reject) => {
    child.once('close', (code, signal) => {
      running = false;
      clearTimeout(timer);
      if (timedOut) {
        reject(new Error(`process ${pid} did not end within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      } else {
        resolve({ code, signal, stdout, stderr });
      }
    });
  });
  // Nobody may be awaiting it yet; the rejection is seen by whoever does.
  exited.catch(() => undefined);
  onTestFinished(async () => {
    if (!running) return;
    child.kill('SIGKILL');
    await exited.catch(() => undefined);
  });

  return {
    pid,
    lines,
    errorLines,
    exited,
    interrupt: () => void child.kill('SIGINT'),
    kill: (signal = 'SIGKILL') => void child.kill(signal),
    async waitForLine(match, what, waitMs = 20_000, from = 0) {
      const test = typeof match === 'function' ? match : (line: string) => match.test(line);
      let found: string | undefined;
      const seen = () => {
        found = lines.slice(from).find(test);
        if (found === undefined && !running) throw new Error(`process ended before ${what}`);
        return found !== undefined;
      };
      try {
        await eventually(seen, what, waitMs);
      } catch (error) {
        throw new Error(`${(error as Error).message}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      }
      return found!;
    },
  };
}
