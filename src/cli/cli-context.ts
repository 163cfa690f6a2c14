import * as util from 'node:util';
import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import type { Observable, Subscription } from 'rxjs';
import { clientOptions } from '../client/internal.js';
import { resolveOptions } from '../client/options.js';
import { ConnectError } from '../errors/tool-errors.js';
import { connect, NoNodeError, type AuthInfo, type ZkClient } from '../index.js';
import { toJsonLine } from './format.js';

/** The options every command takes (see `program.ts`). */
export interface GlobalOptions {
  /** `host:port,...`, optionally with a chroot suffix. */
  connect: string;
  /** One JSON object per line instead of readable text. */
  json: boolean;
  /** How long to wait for a session, in ms. */
  timeout: number;
  /** Credentials added to the session before anything else (`--auth scheme:credentials`). */
  auth?: readonly AuthInfo[];
}

/** How a command uses its session. */
export interface SessionOptions {
  /**
   * Whether a missing namespace (the connect string's `/chroot` suffix) is created. Only `create`
   * does: a command that reads, or that changes an existing node, creates nothing.
   */
  createChroot?: boolean;
  /**
   * For a command that does not fail on a missing node (it shows `null`, or nobody): a missing
   * namespace is told on stderr at the start. Other commands say it with their NoNodeError.
   */
  noteMissingNamespace?: boolean;
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

  /** The namespace of the connect string (`host:port/chroot`), or `''`. */
  get chroot(): string {
    return resolveOptions(this.options.connect).chroot;
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

  /** The one-line form of an error, on stderr: `NoNodeError: /foo does not exist`, after `prefix` (a time). */
  error(error: { name: string; message: string }, prefix = ''): void {
    const message = error.message.replace(/\s*\n\s*/g, ' ');
    this.stderr.write(`${prefix ? this.paintErr('dim', prefix) : ''}${this.paintErr('red', error.name)}: ${message}\n`);
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
   * {@link ConnectError} once every server was tried and none could be reached (saying why), or
   * with the client's typed error if no session comes within `--timeout`.
   */
  async withClient<T>(work: (zk: ZkClient) => Promise<T>, options: SessionOptions = {}): Promise<T> {
    const createChroot = options.createChroot ?? false;
    const zk = connect(this.options.connect, {
      sessionTimeoutMs: 10_000,
      createChroot,
      ...(this.options.auth?.length ? { auth: this.options.auth } : {}),
    });
    try {
      await this.session(zk);
      const chroot = clientOptions(zk).chroot;
      const missingNamespace = chroot !== '' && !createChroot && (await zk.exists('/')) === null;
      if (missingNamespace && options.noteMissingNamespace) this.note(`the namespace ${chroot} does not exist (only create makes it)`);
      try {
        return await work(zk);
      } catch (error) {
        if (!missingNamespace || !(error instanceof NoNodeError)) throw error;
        throw new NoNodeError(`${error.message} (nor does the namespace ${chroot}: only create makes it)`, {
          code: error.code,
          path: error.path,
          cause: error,
        });
      }
    } finally {
      await zk.close();
    }
  }

  /**
   * Waits for the session. A CLI command should not wait out `--timeout` when no server can be
   * reached at all: once every server of the connect string failed an attempt (the client would
   * only start over), it fails with the last reason (refused, unknown host...).
   */
  private session(zk: ZkClient): Promise<void> {
    const servers = clientOptions(zk).servers.length;
    return new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (zk.failedConnectAttempts < servers || zk.state !== 'connecting') return;
        clearInterval(poll);
        const why = zk.lastConnectError?.message ?? 'no server answered';
        const which = servers === 1 ? zk.connectString : `any of ${zk.connectString}`;
        reject(new ConnectError(`cannot connect to ${which}: ${why}`, zk.lastConnectError ? { cause: zk.lastConnectError } : undefined));
      }, 20);
      zk.ready({ timeoutMs: this.options.timeout }).then(
        () => {
          clearInterval(poll);
          resolve();
        },
        (error: unknown) => {
          clearInterval(poll);
          reject(error);
        },
      );
    });
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

/**
 * The context of a command, from its options and the program's (global) ones. A connect string
 * the client would refuse is refused here, before anything else (a usage mistake, exit 2).
 */
export function contextOf(command: Command): CliContext {
  const { connect, json, timeout, auth } = command.optsWithGlobals<Partial<GlobalOptions>>();
  const options: GlobalOptions = {
    connect: connect ?? DEFAULT_CONNECT,
    json: json ?? false,
    timeout: timeout ?? DEFAULT_TIMEOUT_MS,
    auth: auth ?? [],
  };
  resolveOptions(options.connect, { auth: options.auth });
  return new CliContext(options);
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

/** Parses `--auth scheme:credentials` (repeatable): `digest:alice:secret` is scheme `digest`, credentials `alice:secret`. */
export function authOption(text: string, previous: readonly AuthInfo[] = []): AuthInfo[] {
  const colon = text.indexOf(':');
  if (colon <= 0) {
    throw new CommanderArgumentError(`--auth must be scheme:credentials, e.g. digest:alice:secret, got '${text}'`);
  }
  return [...previous, { scheme: text.slice(0, colon), credentials: text.slice(colon + 1) }];
}

/** Ends the command with this exit code; whatever had to be said was said already. */
export class CliExit extends Error {
  override readonly name = 'CliExit';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
