/**
 * The live demo's dashboard: its own process and session, taking part in nothing, only
 * subscribing. Every panel is a stream: the connection state, the registry (`discover`), the
 * election (`election$`), the lock queue and the config (watched nodes), and the server's health
 * (`ruok`/`srvr`/`mntr`, polled, as `rxzk health` asks). On a terminal it redraws in place;
 * piped, it prints one timestamped line per change.
 *
 *   node --import tsx demos/dashboard/dashboard.ts --connect 127.0.0.1:2181 --root /rxzk-demo
 */
import { parseArgs, styleText } from 'node:util';
import { createLogUpdate } from 'log-update';
import { BehaviorSubject, combineLatest, exhaustMap, map, scan, startWith, Subject, takeUntil, timer } from 'rxjs';
import { checkServerHealth } from '../../src/admin/server-health.js';
import { childrenData, connect, discover, election$, json, serversOf } from '../../src/index.js';
import { demoPaths, type ToDashboard } from './protocol.js';
import {
  changes,
  frameSize,
  headIsGone,
  healthLine,
  INITIAL_STATE,
  lockView,
  ownersOf,
  renderFrame,
  type DashboardState,
  type Owner,
  type Paint,
} from './view.js';

const { values } = parseArgs({
  options: {
    connect: { type: 'string', default: process.env['ZK_CONNECT'] ?? '127.0.0.1:2181' },
    root: { type: 'string', default: '/rxzk-demo' },
    /** The servers to ask for health (the dashboard's own connection may go through a proxy). */
    servers: { type: 'string' },
    where: { type: 'string' },
  },
});
const paths = demoPaths(values.root);
const servers = serversOf(values.servers ?? values.connect);
const zk = connect(values.connect, { sessionTimeoutMs: 10_000 });
const stop$ = new Subject<void>();

const health$ = timer(0, 1_000).pipe(
  exhaustMap(() => Promise.all(servers.map((server) => checkServerHealth(server, { timeoutMs: 2_000 })))),
);

// What the runner tells: each worker's sessions, and which processes have exited.
const reported$ = new BehaviorSubject<ReadonlyMap<string, Owner>>(new Map());
const exited$ = new BehaviorSubject<ReadonlySet<number>>(new Set());
const candidates$ = zk.children$(paths.election);
// Once a session is known to be a worker's, it stays known: at shutdown its registration goes
// before its lock node, and the lock must still be shown by instance, not by session id.
const owners$ = combineLatest([childrenData(zk, paths.services), candidates$, reported$]).pipe(
  scan(
    (known: ReadonlyMap<string, Owner>, [registry, candidates, reported]) =>
      ownersOf(registry, candidates, new Map([...known, ...reported])),
    new Map<string, Owner>(),
  ),
);

const state$ = combineLatest({
  connection: zk.state$,
  instances: discover(zk, paths.services),
  election: election$(zk, paths.election),
  owners: owners$,
  candidates: candidates$,
  lockNodes: childrenData(zk, paths.lock),
  exited: exited$,
  config: zk.data$(paths.config).pipe(json()),
  health: health$,
}).pipe(
  map(
    ({ owners, candidates, lockNodes, ...parts }): DashboardState => ({
      ...parts,
      session: zk.sessionId,
      leaderGone: headIsGone(candidates, owners, parts.exited),
      lock: lockView(lockNodes, owners, parts.exited),
    }),
  ),
  startWith(INITIAL_STATE),
);

const events$ = new Subject<[string, string]>();
process.on('message', (message: ToDashboard) => {
  if (message.type === 'event') events$.next([message.source, message.text]);
  else if (message.type === 'session') {
    reported$.next(new Map([...reported$.value, [message.session, { id: message.id, pid: message.pid }]]));
  } else if (message.type === 'exited') exited$.next(new Set([...exited$.value, message.pid]));
  else void stop();
});

if (process.stdout.isTTY) redrawOnTerminal();
else printEventLines();

/**
 * A frame redrawn in place, five times a second (log-update skips frames that did not change),
 * made to fit the terminal. A terminal that reports no size (0 x 0) is drawn for as 80 x 24:
 * log-update, told the truth, would draw nothing at all.
 */
function redrawOnTerminal(): void {
  const paint: Paint = (style, text) => (process.env['NO_COLOR'] ? text : styleText(style, text));
  const screen = {
    isTTY: true,
    get columns() {
      return frameSize(process.stdout).columns;
    },
    get rows() {
      return frameSize(process.stdout).rows;
    },
    write: (chunk: string) => process.stdout.write(chunk),
  };
  const logUpdate = createLogUpdate(screen as unknown as NodeJS.WriteStream);
  const startedAt = Date.now();
  const events: string[] = [];
  const remember = (category: string, text: string) => {
    const label = paint(category === 'fault' ? 'yellow' : 'cyan', category.padEnd(10));
    events.push(`${paint('dim', new Date().toTimeString().slice(0, 8))}  ${label} ${text}`);
    events.splice(0, events.length - 12);
  };
  let state = INITIAL_STATE;
  state$.pipe(takeUntil(stop$)).subscribe((next) => {
    for (const [category, text] of changes(state, next)) remember(category, text);
    state = next;
  });
  events$.pipe(takeUntil(stop$)).subscribe(([source, text]) => remember(source, text));

  const draw = () =>
    logUpdate(renderFrame(state, { where: values.where ?? values.connect, startedAt, events }, paint, frameSize(process.stdout)));
  timer(0, 200).pipe(takeUntil(stop$)).subscribe(draw);
  stop$.subscribe(() => {
    draw();
    logUpdate.done();
  });
}

/** One timestamped line per change, and the server's health every ten seconds. */
function printEventLines(): void {
  const print = (category: string, text: string) => console.log(`${new Date().toISOString()}  ${category.padEnd(10)} ${text}`);
  let state = INITIAL_STATE;
  state$.pipe(takeUntil(stop$)).subscribe((next) => {
    for (const [category, text] of changes(state, next)) print(category, text);
    state = next;
  });
  events$.pipe(takeUntil(stop$)).subscribe(([source, text]) => print(source, text));
  timer(10_000, 10_000)
    .pipe(takeUntil(stop$))
    .subscribe(() => state.health.forEach((h) => print('health', healthLine(h))));
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  stop$.next();
  await zk.close();
  process.exit(0);
}
// Run by the demo, Ctrl-C reaches every process of the terminal: the runner decides when the
// dashboard stops (it shows the shutdown), so only a dashboard run alone stops on it.
process.on('SIGINT', () => (process.send ? undefined : void stop()));
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
