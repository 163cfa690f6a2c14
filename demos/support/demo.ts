/**
 * The frame every small demo runs in: a ZooKeeper (embedded, or `ZK_CONNECT`), clients that are
 * closed at the end, a timeline of scripted steps, timestamped log lines, and a bounded run
 * (`--duration <seconds>`, or Ctrl-C).
 *
 * The demo's clock starts once the clients it made at the start are connected, so that a slow
 * ZooKeeper start never eats into the script: the steps (`at`, `every`) and `--duration` count
 * from there. When the duration is up, no new step starts, and the steps under way finish (they
 * are what the demo is there to show) before the clients are closed; Ctrl-C stops at once.
 *
 * Each demo's clients live in a namespace of their own (`/rxzk-demos/<name>-<random>`, as
 * `connect(..., { chroot })`), so demo code writes plain paths like `/config/app`, runs against
 * a shared ensemble without meeting anything else there, and leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BehaviorSubject,
  catchError,
  defer,
  EMPTY,
  filter,
  finalize,
  firstValueFrom,
  from,
  interval,
  isObservable,
  merge,
  ReplaySubject,
  switchMap,
  take,
  takeUntil,
  timer,
  type Observable,
} from 'rxjs';
import { connect as zkConnect, type ConnectOptions, type ZkClient } from '../../src/index.js';
import type { TestingZooKeeper } from '../../src/testing/index.js';
import { demoZooKeeper } from './zookeeper.js';

export interface DemoOptions {
  /** How long the demo runs unless `--duration <seconds>` says otherwise: long enough for every step. */
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
   * Runs `step` once, `ms` after the demo's clock started (or after this call, if that is later),
   * unless the demo has ended by then. A step may return a promise or an Observable; its errors
   * are logged.
   */
  at(ms: number, step: () => unknown): void;
  /** Runs `step` every `ms` until the demo ends; a step still running is not started again. */
  every(ms: number, step: () => unknown): void;
  /** Prints `12:00:01.234  label          value...`. */
  log(label: string, ...values: unknown[]): void;
  /** Emits once when the demo ends (its duration is up, or Ctrl-C), then completes. */
  readonly end$: Observable<void>;
}

/** How long the steps under way may take to finish once the duration is up. */
const STEP_GRACE_MS = 15_000;

/**
 * Runs `body`, waits for the end of the demo, then closes every client and stops the ZooKeeper
 * it started, whatever happened. Errors are printed as one line and exit 1; a usage mistake
 * prints the usage and exits 2.
 */
export async function runDemo(title: string, options: DemoOptions, body: (demo: Demo) => void | Promise<void>): Promise<void> {
  const seconds = parseDemoArgs(title, options.seconds);
  if (seconds === undefined) return;

  const interrupted$ = new ReplaySubject<void>(1);
  const started$ = new ReplaySubject<void>(1);
  const failed$ = new ReplaySubject<void>(1);
  const end$ = new ReplaySubject<void>(1);
  // A first Ctrl-C ends the demo (it cleans up); a second one ends the process.
  let signals = 0;
  const onSignal = () => {
    signals += 1;
    if (signals > 1) process.exit(130);
    interrupted$.next();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ending = merge(started$.pipe(switchMap(() => timer(seconds * 1000))), interrupted$, failed$)
    .pipe(take(1))
    .subscribe(() => {
      end$.next();
      end$.complete();
    });

  // Steps under way: they finish after the end unless Ctrl-C (or the grace) stops them.
  const running = new BehaviorSubject(0);
  const cancel$ = new ReplaySubject<void>(1);
  const runStep = (step: () => unknown): Observable<unknown> =>
    defer(() => {
      running.next(running.value + 1);
      const result = step();
      return isObservable(result) || result instanceof Promise ? from(result) : EMPTY;
    }).pipe(
      catchError((error: unknown) => {
        printError(error);
        return EMPTY;
      }),
      takeUntil(merge(cancel$, interrupted$)),
      finalize(() => running.next(running.value - 1)),
    );
  const schedule = (ticks: () => Observable<unknown>, step: () => unknown) => {
    let busy = false;
    started$
      .pipe(
        switchMap(ticks),
        filter(() => !busy),
        takeUntil(end$),
      )
      .subscribe(() => {
        busy = true;
        runStep(step).subscribe({ complete: () => (busy = false) });
      });
  };

  const namespace = `/rxzk-demos/${basename()}-${randomUUID().slice(0, 8)}`;
  const clients: ZkClient[] = [];
  let server: TestingZooKeeper | undefined;
  try {
    server = await demoZooKeeper({ servers: options.servers ?? 1 });
    const where = server.source === 'external' ? `ZK_CONNECT=${server.connectString}` : `embedded at ${server.connectString}`;
    console.log(`rxzk demo: ${title}\nZooKeeper ${where}; runs ${seconds} s (--duration), Ctrl-C stops it.\n`);
    const connectString = server.connectString;
    let bodyDone: Promise<void>;
    try {
      bodyDone = Promise.resolve(
        body({
          server,
          connect: (connectOptions) => {
            const zk = zkConnect(connectString, { sessionTimeoutMs: 4_000, chroot: namespace, ...connectOptions });
            clients.push(zk);
            return zk;
          },
          at: (ms, step) => schedule(() => timer(ms), step),
          every: (ms, step) => schedule(() => interval(ms), step),
          log,
          end$: end$.asObservable(),
        }),
      );
    } catch (error) {
      bodyDone = Promise.reject(error);
    }
    bodyDone.catch(() => failed$.next());
    // The clock starts once the clients made at the start have their sessions.
    await Promise.all(clients.map((zk) => zk.ready({ timeoutMs: 30_000 })));
    started$.next();
    await firstValueFrom(end$, { defaultValue: undefined });
    // Let the steps under way finish: what they were about to show is the point of the demo.
    await firstValueFrom(merge(running.pipe(filter((n) => n === 0)), interrupted$, timer(STEP_GRACE_MS)));
    if (running.value > 0) log('demo', `${running.value} step(s) still running after ${STEP_GRACE_MS / 1000} s: stopped`);
    cancel$.next();
    await Promise.race([bodyDone, firstValueFrom(interrupted$)]);
  } catch (error) {
    process.exitCode = 1;
    printError(error);
  } finally {
    ending.unsubscribe();
    await Promise.all(clients.map((zk) => zk.close()));
    // An embedded server goes with its data; on a shared one, remove what the demo wrote.
    if (server?.source === 'external') await removeNamespace(server.connectString, namespace);
    await server?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    console.log('\ndemo stopped: clients closed, ZooKeeper stopped');
    // Everything is closed; should anything still hold the process, do not wait for it.
    setTimeout(() => process.exit(), 5_000).unref();
  }
}

/**
 * The demo's options: `--duration <s>` (returned, in seconds) and `--help`. Prints the usage and
 * returns `undefined` for `--help` (exit 0) and for a mistake (exit 2), rather than a stack trace.
 */
function parseDemoArgs(title: string, defaultSeconds: number): number | undefined {
  const command = process.env['npm_lifecycle_event']?.startsWith('demo')
    ? `npm run ${process.env['npm_lifecycle_event']} [-- options]`
    : `node --import tsx ${relative(process.cwd(), process.argv[1] ?? 'demo.ts')} [options]`;
  const usage = [
    `Usage: ${command}`,
    '',
    `rxzk demo: ${title}`,
    '',
    `  --duration <s>  stop after this many seconds, counted once its clients are connected (default ${defaultSeconds})`,
    '  -h, --help      show this help',
    '',
    'ZK_CONNECT=host:port runs it against a running ensemble instead of an embedded ZooKeeper.',
  ].join('\n');
  let values: { duration?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { duration: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return undefined;
  }
  if (values.help) {
    console.log(usage);
    return undefined;
  }
  const seconds = values.duration === undefined ? defaultSeconds : Number(values.duration);
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    console.error(`--duration must be a number of seconds > 0, got '${values.duration}'\n\n${usage}`);
    process.exitCode = 2;
    return undefined;
  }
  return seconds;
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
