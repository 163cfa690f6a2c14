/**
 * The frame every small demo runs in: a ZooKeeper (embedded, or `ZK_CONNECT`), clients that are
 * closed at the end, a timeline of scripted steps, timestamped log lines, and a bounded run
 * (`--duration <seconds>`, or Ctrl-C).
 *
 * Each demo's clients live in a namespace of their own (`/rxzk-demos/<name>-<random>`, as
 * `connect(..., { chroot })`), so demo code writes plain paths like `/config/app`, runs against
 * a shared ensemble without meeting anything else there, and leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  catchError,
  defer,
  EMPTY,
  exhaustMap,
  from,
  fromEvent,
  interval,
  isObservable,
  lastValueFrom,
  merge,
  ReplaySubject,
  take,
  takeUntil,
  timer,
  type Observable,
} from 'rxjs';
import { connect as zkConnect, type ConnectOptions, type ZkClient } from '../../src/index.js';
import type { TestingZooKeeper } from '../../src/testing/index.js';
import { demoZooKeeper } from './zookeeper.js';

export interface DemoOptions {
  /** How long the demo runs unless `--duration <seconds>` says otherwise. */
  seconds: number;
  /** A standalone server (1, default) or an ensemble of 3 (embedded only). */
  servers?: 1 | 3;
}

export interface Demo {
  /** The ZooKeeper the demo runs against. */
  readonly server: TestingZooKeeper;
  /**
   * A new client (its own session) in the demo's namespace, with a 4 s session timeout so that
   * expiry shows quickly; the demo closes it at the end.
   */
  connect(options?: ConnectOptions): ZkClient;
  /**
   * Runs `step` once, `ms` after the start, unless the demo has ended. A step may return a
   * promise or an Observable (cancelled when the demo ends); its errors are logged.
   */
  at(ms: number, step: () => unknown): void;
  /** Runs `step` every `ms` until the demo ends; a step still running is not started again. */
  every(ms: number, step: () => unknown): void;
  /** Prints `12:00:01.234  label          value...`. */
  log(label: string, ...values: unknown[]): void;
  /** Emits once when the demo ends (its duration is up, or Ctrl-C), then completes. */
  readonly end$: Observable<void>;
}

/**
 * Runs `body`, waits for the end of the demo, then closes every client and stops the ZooKeeper
 * it started, whatever happened. Errors are printed as one line and exit 1.
 */
export async function runDemo(title: string, options: DemoOptions, body: (demo: Demo) => void | Promise<void>): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string' } } });
  const seconds = values.duration === undefined ? options.seconds : Number(values.duration);
  if (!(seconds > 0)) {
    printError(new Error(`--duration must be a number of seconds > 0, got '${values.duration}'`));
    process.exitCode = 1;
    return;
  }

  // One end for everyone: the duration, or the first Ctrl-C (a second one ends the process).
  const end$ = new ReplaySubject<void>(1);
  const ending = merge(timer(seconds * 1000), fromEvent(process, 'SIGINT'), fromEvent(process, 'SIGTERM'))
    .pipe(take(1))
    .subscribe(() => {
      end$.next();
      end$.complete();
    });
  const ended = lastValueFrom(end$, { defaultValue: undefined });

  const namespace = `/rxzk-demos/${basename()}-${randomUUID().slice(0, 8)}`;
  const clients: ZkClient[] = [];
  let server: TestingZooKeeper | undefined;
  const guard = (step: () => unknown): Observable<unknown> =>
    defer(() => {
      const result = step();
      return isObservable(result) || result instanceof Promise ? from(result) : EMPTY;
    }).pipe(
      catchError((error: unknown) => {
        printError(error);
        return EMPTY;
      }),
    );
  try {
    server = await demoZooKeeper({ servers: options.servers ?? 1 });
    const where = server.source === 'external' ? `ZK_CONNECT=${server.connectString}` : `embedded at ${server.connectString}`;
    console.log(`rxzk demo: ${title}\nZooKeeper ${where}; runs ${seconds} s (--duration), Ctrl-C stops it.\n`);
    const connectString = server.connectString;
    await body({
      server,
      connect: (connectOptions) => {
        const zk = zkConnect(connectString, { sessionTimeoutMs: 4_000, chroot: namespace, ...connectOptions });
        clients.push(zk);
        return zk;
      },
      at: (ms, step) => void timer(ms).pipe(exhaustMap(() => guard(step)), takeUntil(end$)).subscribe(),
      every: (ms, step) => void interval(ms).pipe(exhaustMap(() => guard(step)), takeUntil(end$)).subscribe(),
      log,
      end$: end$.asObservable(),
    });
    await ended;
  } catch (error) {
    process.exitCode = 1;
    printError(error);
  } finally {
    ending.unsubscribe();
    await Promise.all(clients.map((zk) => zk.close()));
    // An embedded server goes with its data; on a shared one, remove what the demo wrote.
    if (server?.source === 'external') await removeNamespace(server.connectString, namespace);
    await server?.stop();
    console.log('\ndemo stopped: clients closed, ZooKeeper stopped');
    // Everything is closed; should anything still hold the process, do not wait for it.
    setTimeout(() => process.exit(), 5_000).unref();
  }
}

export function log(label: string, ...values: unknown[]): void {
  const now = new Date();
  const time = `${now.toTimeString().slice(0, 8)}.${String(now.getMilliseconds()).padStart(3, '0')}`;
  const text = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v, bigints))).join(' ');
  console.log(`${time}  ${label.padEnd(14)} ${text}`);
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function printError(error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  console.error(`${e.name}: ${e.message}`);
}

/** The running demo's file name, without extension: `watch-znodes`. */
function basename(): string {
  return (process.argv[1] ?? 'demo').replace(/^.*[\\/]/, '').replace(/\.[jt]s$/, '');
}

async function removeNamespace(connectString: string, namespace: string): Promise<void> {
  const zk = zkConnect(connectString);
  try {
    await zk.ready({ timeoutMs: 5_000 });
    await zk.delete(namespace, { recursive: true });
  } catch (error) {
    printError(error);
  } finally {
    await zk.close();
  }
}
