/**
 * One worker of the live demo: its own process and its own ZooKeeper session. It registers as
 * an instance of the service, stands for leadership, takes turns holding a lock, and follows
 * the config. Everything it takes part in ends when it is told to stop (or its parent goes).
 *
 *   node --import tsx demos/dashboard/worker.ts --connect 127.0.0.1:2181 --root /rxzk-demo --id w1
 */
import { parseArgs } from 'node:util';
import { defer, distinctUntilChanged, filter, map, repeat, retry, skipWhile, Subject, takeUntil, timer } from 'rxjs';
import { connect, json, leadership, register, withLock } from '../../src/index.js';
import { demoPaths, type DemoConfig, type DemoEvent, type SessionReport } from './protocol.js';

const { values } = parseArgs({
  options: {
    connect: { type: 'string', default: process.env['ZK_CONNECT'] ?? '127.0.0.1:2181' },
    root: { type: 'string', default: '/rxzk-demo' },
    id: { type: 'string', default: `w${process.pid}` },
    port: { type: 'string', default: '7000' },
    'session-timeout': { type: 'string', default: '4000' },
  },
});
const id = values.id;
const paths = demoPaths(values.root);
const zk = connect(values.connect, { sessionTimeoutMs: Number(values['session-timeout']) });
const stop$ = new Subject<void>();

/** Tells the demo runner (or the console, when run alone). */
function report(text: string): void {
  const event: DemoEvent = { type: 'event', source: id, text };
  if (process.send) process.send(event);
  else console.log(`${id}  ${text}`);
}

// The dashboard names lock holders and candidates by the worker whose session they are.
zk.state$
  .pipe(
    filter((state) => state === 'connected'),
    takeUntil(stop$),
  )
  .subscribe(() => {
    const session = zk.sessionId;
    if (session && process.send) process.send({ type: 'session', id, pid: process.pid, session } satisfies SessionReport);
  });

register(zk, paths.services, { id, host: '127.0.0.1', port: Number(values.port), payload: { pid: process.pid } })
  .pipe(takeUntil(stop$))
  .subscribe(({ state }) => report(`registration ${state}`));

leadership(zk, paths.election, { id })
  .pipe(
    map(({ isLeader }) => isLeader),
    distinctUntilChanged(),
    skipWhile((leading) => !leading), // say nothing until it first leads
    takeUntil(stop$),
  )
  .subscribe((leading) => report(leading ? 'leading' : 'stepped down'));

// Take the lock, hold it for a while (the "job"), release it, pause, queue again.
defer(() => withLock(zk, paths.lock, () => timer(2_000 + Math.random() * 1_000)))
  .pipe(
    repeat({ delay: () => timer(500 + Math.random() * 1_000) }),
    retry({
      delay: (error: Error) => {
        report(`lock: ${error.name}: ${error.message}`);
        return timer(1_000);
      },
    }),
    takeUntil(stop$),
  )
  .subscribe();

zk.data$(paths.config)
  .pipe(
    json<DemoConfig>(),
    filter((config) => config !== null),
    takeUntil(stop$),
  )
  .subscribe((config) => report(`applied config rev ${config.rev} (${config.color}, rate limit ${config.rateLimit})`));

// Stopping: unsubscribing withdraws everything, and closing the session removes what is left.
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  stop$.next();
  await zk.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop()); // the demo runner is gone
