import * as util from 'node:util';
import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import type { Observable, Subscription } from 'rxjs';
import { connect, type ZkClient } from '../index.js';
import { toJsonLine } from './format.js';

/** The options every command takes (see `program.ts`). */
export interface GlobalOptions {
  /** `host:port,...`, optionally with a chroot suffix. */
  connect: string;
  /** One JSON object per line instead of readable text. */
  json: boolean;
  /** How long to wait for a session, in ms. */
  timeout: number;
}

export type Color = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta';

/**
 * What a command needs besides its own arguments: the global options, the output streams, a
 * session, and the moment the user presses Ctrl-C.
 */
export class CliContext {
  private readonly colorOut: boolean;
  private readonly colorErr: boolean;

  constructor(
    readonly options: GlobalOptions,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.colorOut = wantsColor(stdout);
    this.colorErr = wantsColor(stderr);
  }

  get json(): boolean {
    return this.options.json;
  }

  /** Writes one line of output. */
  print(line: string): void {
    this.stdout.write(`${line}\n`);
  }

  /** Writes a result: `record` as a JSON line with `--json`, else the readable `text`. */
  emit(record: object, text: () => string): void {
    this.print(this.json ? toJsonLine(record) : text());
  }

  /** A side remark for the person at the terminal (stderr), never part of the output proper. */
  note(line: string): void {
    this.stderr.write(`${this.paintErr('dim', line)}\n`);
  }

  /** The one-line form of an error, on stderr: `NoNodeError: /foo does not exist`. */
  error(error: { name: string; message: string }): void {
    const message = error.message.replace(/\s*\n\s*/g, ' ');
    this.stderr.write(`${this.paintErr('red', error.name)}: ${message}\n`);
  }

  /** Colors text for stdout when it is a terminal (and NO_COLOR is unset). */
  paint(color: Color, text: string): string {
    return this.colorOut ? util.styleText(color, text) : text;
  }

  paintErr(color: Color, text: string): string {
    return this.colorErr ? util.styleText(color, text) : text;
  }

  /**
   * Runs `work` with a connected client and closes it afterwards, whatever happens. Fails with
   * the client's typed error if no session comes within `--timeout`.
   */
  async withClient<T>(work: (zk: ZkClient) => Promise<T>): Promise<T> {
    const zk = connect(this.options.connect, { sessionTimeoutMs: 10_000 });
    try {
      await zk.ready({ timeoutMs: this.options.timeout });
      return await work(zk);
    } finally {
      await zk.close();
    }
  }
}

function wantsColor(stream: NodeJS.WriteStream): boolean {
  // styleText exists from Node 20.12; older 20.x simply prints without color.
  return (
    stream.isTTY === true &&
    !process.env['NO_COLOR'] &&
    process.env['TERM'] !== 'dumb' &&
    typeof util.styleText === 'function'
  );
}

/**
 * Calls `callback` once when the user asks to stop (SIGINT, i.e. Ctrl-C, or SIGTERM). While it
 * is installed those signals no longer end the process by themselves, so the command can close
 * its session first. Returns the function that uninstalls it.
 */
export function onInterrupt(callback: (signal: NodeJS.Signals) => void): () => void {
  const stop = (signal: NodeJS.Signals) => {
    dispose();
    callback(signal);
  };
  const dispose = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return dispose;
}

/**
 * Subscribes to `source` and calls `onValue` for each value until Ctrl-C, until `count` values
 * were seen, or until the stream ends. Rejects with the stream's error.
 */
export function follow<T>(source: Observable<T>, onValue: (value: T) => void, count?: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = 0;
    let subscription: Subscription | undefined;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      stopListening();
      // Unsubscribing from inside `next` is fine, but the subscription may not be assigned yet
      // when the first value arrives synchronously.
      queueMicrotask(() => subscription?.unsubscribe());
      if (error === undefined) resolve();
      else reject(error);
    };
    const stopListening = onInterrupt(() => finish());
    subscription = source.subscribe({
      next: (value) => {
        if (done) return;
        onValue(value);
        seen += 1;
        if (count !== undefined && seen >= count) finish();
      },
      error: (err: unknown) => finish(err ?? new Error('stream failed')),
      complete: () => finish(),
    });
    if (done) subscription.unsubscribe();
  });
}

/** The context of a command, from its options and the program's (global) ones. */
export function contextOf(command: Command): CliContext {
  const { connect, json, timeout } = command.optsWithGlobals<Partial<GlobalOptions>>();
  return new CliContext({
    connect: connect ?? DEFAULT_CONNECT,
    json: json ?? false,
    timeout: timeout ?? DEFAULT_TIMEOUT_MS,
  });
}

export const DEFAULT_CONNECT = '127.0.0.1:2181';
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Parses a whole number option (commander calls it with the raw text). */
export function integer(what: string, min = 0): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      throw new CommanderArgumentError(`${what} must be a whole number >= ${min}, got '${text}'`);
    }
    return value;
  };
}

/** Ends the command with this exit code; whatever had to be said was said already. */
export class CliExit extends Error {
  override readonly name = 'CliExit';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
