/**
 * `npm run demo`: rxzk live, with real processes failing.
 *
 * Starts ZooKeeper (embedded through `rxzk/testing`, or `ZK_CONNECT`), worker processes (each
 * its own session) that register as a service, stand for leadership and take turns holding a
 * lock, and a dashboard process that shows it all. Every few seconds something goes wrong on
 * purpose, and the dashboard shows the recovery:
 *
 * 1. The leader process is killed (SIGKILL). Its session lives on until it times out; then the
 *    next candidate leads and the dead instance leaves the registry. Then it is started again.
 * 2. The config changes: every worker applies it.
 * 3. A worker crashes and restarts at once: its old registration is still there (the old session
 *    has not expired yet), so the new process waits for it to go before registering.
 * 4. The dashboard's own connection is cut for a few seconds: suspended, then reconnected, and
 *    every panel catches up.
 *
 * It runs until Ctrl-C, or for `--duration` seconds counted from when every worker is up (the
 * faults run in the order above, one every `--fault-every` seconds: a whole round takes four),
 * then stops every process it started.
 *
 *   npm run demo [-- --duration 60 --workers 3 --fault-every 8]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { combineLatest, defer, exhaustMap, filter, firstValueFrom, interval, Subject, takeUntil, timeout } from 'rxjs';
import { connect, discover, election$, NoNodeError, type ElectionView } from '../../src/index.js';
import { faultProxy, type FaultProxy, type TestingZooKeeper } from '../../src/testing/index.js';
import { demoZooKeeper } from '../support/zookeeper.js';
import { demoPaths, type DemoConfig, type FromWorker, type ToDashboard } from './protocol.js';

const HELP = `Usage: npm run demo [-- options]

  --duration <s>     stop after this many seconds, counted once every worker is up
                     (default: run until Ctrl-C; a round of the four faults takes 4 x --fault-every)
  --workers <n>      worker processes, 2 to 9 (default 3)
  --fault-every <s>  seconds between faults (default 8)
  --root <path>      where the demo's znodes live (default /rxzk-demo)
  -h, --help         show this help

ZK_CONNECT=host:port uses a running ensemble instead of an embedded ZooKeeper.`;

let values: { duration?: string; workers: string; 'fault-every': string; root: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      duration: { type: 'string' },
      workers: { type: 'string', default: '3' },
      'fault-every': { type: 'string', default: '8' },
      root: { type: 'string', default: '/rxzk-demo' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${HELP}`);
  process.exit(2);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const durationS = values.duration === undefined ? undefined : Number(values.duration);
const workerCount = Number(values.workers);
const faultEveryS = Number(values['fault-every']);
if (
  (durationS !== undefined && !(durationS > 0)) ||
  !(Number.isInteger(workerCount) && workerCount >= 2 && workerCount <= 9) ||
  !(faultEveryS > 0) ||
  !values.root.startsWith('/')
) {
  console.error(`invalid options: --duration > 0, --workers from 2 to 9, --fault-every > 0, --root a path\n\n${HELP}`);
  process.exit(2);
}

const here = dirname(fileURLToPath(import.meta.url));
const paths = demoPaths(values.root);
const WORKER_SESSION_TIMEOUT_MS = 4_000;
/** How many faults make a round (see the scenes below). */
const SCENES = 4;
const COLORS = ['blue', 'green', 'orange', 'purple', 'teal'];

// Every process this demo starts, so that every one is stopped, however the demo ends.
const children = new Set<ChildProcess>();
const startedPids: number[] = [];
const workers = new Map<string, ChildProcess>();
const expectedExits = new WeakSet<ChildProcess>();
let dashboard: ChildProcess | undefined;
let stopping = false;
const stop$ = new Subject<void>();
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

/** A plain timestamped line on our own stdout (before the dashboard runs, and after it stopped). */
function say(category: string, text: string): void {
  console.log(`${new Date().toISOString()}  ${category.padEnd(10)} ${text}`);
}

/** An event for the dashboard's log. */
function tell(source: string, text: string): void {
  if (dashboard?.connected) dashboard.send({ type: 'event', source, text } satisfies ToDashboard);
  else say(source, text);
}

function start(script: string, args: string[], stdio: 'inherit' | 'pipe'): ChildProcess {
  const child = fork(join(here, script), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', stdio, stdio, 'ipc'] });
  children.add(child);
  startedPids.push(child.pid!);
  child.once('exit', () => children.delete(child));
  return child;
}

function startWorker(id: string): void {
  if (stopping) return;
  const port = 7000 + Number(id.slice(1));
  const args = ['--connect', server.connectString, '--root', paths.root, '--id', id, '--port', String(port)];
  const worker = start('worker.ts', [...args, '--session-timeout', String(WORKER_SESSION_TIMEOUT_MS)], 'pipe');
  workers.set(id, worker);
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'event') tell(message.source, message.text);
    else if (dashboard?.connected) dashboard.send(message satisfies ToDashboard);
  });
  for (const output of [worker.stdout!, worker.stderr!]) {
    createInterface({ input: output }).on('line', (line) => line.trim() && tell(id, line));
  }
  worker.once('exit', (code, signal) => {
    if (workers.get(id) === worker) workers.delete(id);
    // Its sessions outlive it until they expire: the dashboard must not take them for live ones.
    if (dashboard?.connected) dashboard.send({ type: 'exited', id, pid: worker.pid! } satisfies ToDashboard);
    if (!stopping && !expectedExits.has(worker)) tell('demo', `${id} exited on its own (${signal ?? `code ${code}`})`);
  });
  tell('demo', `started ${id} (pid ${worker.pid})`);
}

/** Stops a child: `how` (a signal, or a stop message), then SIGKILL if it is still there after 5 s. */
async function stopChild(child: ChildProcess, how: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  how();
  const gone = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!gone) {
    child.kill('SIGKILL');
    await exited;
  }
}

// ZooKeeper, an admin session for the faults, and a proxy in front of the dashboard's connection.
say('demo', 'starting ZooKeeper...');
let server: TestingZooKeeper;
try {
  server = await demoZooKeeper();
} catch (error) {
  console.error(`${(error as Error).name}: ${(error as Error).message}`);
  process.exit(1);
}
const where = server.source === 'external' ? `ZK_CONNECT=${server.connectString}` : `embedded at ${server.connectString}`;
say('demo', `ZooKeeper ${where}`);
const admin = connect(server.connectString, { sessionTimeoutMs: 10_000 });
let proxy: FaultProxy | undefined;
let latestElection: ElectionView = { leaderId: null, candidates: [] };
let durationTimer: NodeJS.Timeout | undefined;
process.on('SIGINT', () => void shutdown('Ctrl-C'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await admin.ready({ timeoutMs: 20_000 });
  const initial: DemoConfig = { rev: 1, color: COLORS[0]!, rateLimit: 100 };
  await admin.create(paths.config, JSON.stringify(initial), { parents: true }).catch(async (error: unknown) => {
    if (!(error instanceof Error) || error.name !== 'NodeExistsError') throw error;
    await admin.set(paths.config, JSON.stringify(initial));
  });
  election$(admin, paths.election)
    .pipe(takeUntil(stop$))
    .subscribe((view) => (latestElection = view));

  proxy = await faultProxy(server.connectString);
  dashboard = start(
    'dashboard.ts',
    ['--connect', proxy.connectString, '--servers', server.connectString, '--root', paths.root, '--where', where],
    'inherit',
  );
  tell('demo', `started the dashboard (pid ${dashboard.pid}), its connection through a fault proxy`);
  for (let i = 1; i <= workerCount; i++) startWorker(`w${i}`);

  await firstValueFrom(
    combineLatest([discover(admin, paths.services), election$(admin, paths.election)]).pipe(
      filter(([instances, election]) => instances.length === workerCount && election.leaderId !== null),
      timeout({ first: 60_000, with: () => Promise.reject(new Error('the workers did not all register within 60 s')) }),
      takeUntil(stop$),
    ),
    { defaultValue: undefined },
  );
  if (!stopping) {
    tell('demo', `all ${workerCount} workers are up; a fault every ${faultEveryS} s`);
    if (durationS !== undefined) {
      durationTimer = setTimeout(() => void shutdown('--duration reached'), durationS * 1000);
      const shown = Math.min(SCENES, Math.floor(durationS / faultEveryS));
      if (shown < SCENES) {
        tell('demo', `--duration ${durationS} shows ${shown} of the ${SCENES} faults; a whole round needs more than ${SCENES * faultEveryS} s`);
      }
    }
  }

  const scenes = [killLeader, changeConfig, quickRestart, cutDashboardConnection];
  if (scenes.length !== SCENES) throw new Error('SCENES is the number of faults');
  let next = 0;
  interval(faultEveryS * 1000)
    .pipe(
      exhaustMap(() => defer(() => scenes[next++ % scenes.length]!())),
      takeUntil(stop$),
    )
    .subscribe({ error: (error: Error) => void shutdown(`${error.name}: ${error.message}`, 1) });
} catch (error) {
  await shutdown(`${(error as Error).name}: ${(error as Error).message}`, 1);
}

/** The leader crashes. Once the server expires its session, the next candidate leads; then it comes back. */
async function killLeader(): Promise<void> {
  const id = latestElection.leaderId;
  const leader = id === null ? undefined : workers.get(id);
  if (!id || !leader) return tell('fault', 'no leader to kill right now');
  tell('fault', `killing the leader ${id} (pid ${leader.pid}) with SIGKILL; its session lives until it times out`);
  expectedExits.add(leader);
  leader.kill('SIGKILL');
  await firstValueFrom(
    discover(admin, paths.services).pipe(
      filter((instances) => !instances.some((i) => i.id === id)),
      timeout(WORKER_SESSION_TIMEOUT_MS * 5),
      takeUntil(stop$),
    ),
    { defaultValue: undefined },
  );
  if (stopping) return;
  tell('demo', `${id}'s session expired and it left the registry; starting it again`);
  startWorker(id);
}

/** A new config revision, written with compare-and-set. */
async function changeConfig(): Promise<void> {
  const { data, stat } = await admin.get(paths.config);
  const current = JSON.parse(data.toString()) as DemoConfig;
  const next: DemoConfig = {
    rev: current.rev + 1,
    color: COLORS[current.rev % COLORS.length]!,
    rateLimit: 50 + ((current.rev * 7) % 10) * 25,
  };
  await admin.set(paths.config, JSON.stringify(next), { version: stat.version });
  tell('fault', `config changed to rev ${next.rev} (${next.color}, rate limit ${next.rateLimit})`);
}

/** A follower crashes and is restarted at once: the stale-registration case. */
async function quickRestart(): Promise<void> {
  const id = [...workers.keys()].find((w) => w !== latestElection.leaderId);
  const worker = id === undefined ? undefined : workers.get(id);
  if (!id || !worker) return tell('fault', 'no worker to restart right now');
  tell('fault', `${id} (pid ${worker.pid}) crashes and restarts at once: its old registration stays until its session expires`);
  expectedExits.add(worker);
  await stopChild(worker, () => worker.kill('SIGKILL'));
  startWorker(id);
}

/** The dashboard loses its connection for a while (its session survives). */
async function cutDashboardConnection(): Promise<void> {
  tell('fault', "cutting the dashboard's connection to ZooKeeper for 3 s");
  await proxy!.refuse();
  await sleep(3_000);
  await proxy!.restore();
  tell('demo', "the dashboard's connection is restored");
}

/** Stops every process the demo started, then ZooKeeper. A second Ctrl-C kills them at once. */
async function shutdown(reason: string, exitCode = 0): Promise<void> {
  if (stopping) {
    if (reason === 'Ctrl-C') process.exit(130); // the exit hook kills every child
    return;
  }
  stopping = true;
  clearTimeout(durationTimer);
  stop$.next();
  tell('demo', `stopping (${reason})`);
  await Promise.all([...workers.values()].map((worker) => stopChild(worker, () => worker.kill('SIGTERM'))));
  if (dashboard) {
    const d = dashboard;
    await stopChild(d, () => (d.connected ? d.send({ type: 'stop' } satisfies ToDashboard) : d.kill('SIGTERM')));
  }
  await Promise.all([...children].map((child) => stopChild(child, () => child.kill('SIGTERM'))));
  // An embedded server goes with its data; on a shared one, remove what the demo wrote.
  if (server.source === 'external') {
    await admin.delete(paths.root, { recursive: true, timeoutMs: 5_000 }).catch((error: unknown) => {
      if (!(error instanceof NoNodeError)) say('demo', `could not remove ${paths.root}: ${(error as Error).message}`);
    });
  }
  await admin.close();
  await proxy?.close();
  await server.stop();
  const alive = startedPids.filter(isAlive);
  say('demo', `stopped: ${startedPids.length} processes started, ${alive.length} still running; ZooKeeper ${server.source === 'external' ? 'left running (ZK_CONNECT)' : 'stopped'}`);
  process.exit(alive.length === 0 ? exitCode : 1);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
