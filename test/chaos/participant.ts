/**
 * One participant of a chaos run, in a process of its own, using only rxzk's public API. It
 * connects (through its own fault proxy), plays its role, and logs what it believes, one JSON line
 * per event, to its own file, until the runner tells it to stop (or the runner goes away).
 *
 *   node --import tsx test/chaos/participant.ts --role locker --id locker-1 --connect 127.0.0.1:4000 \
 *     --servers 127.0.0.1:2181,... --root /rxzk-chaos/run --log locker-1.1.jsonl [--inc 1] [--mode lock]
 *
 * Messages from the runner (IPC): `{ type: 'stop' }`; `{ type: 'expire' }` ends this participant's
 * session on the server (`expireSession` of rxzk/testing), answered with `{ type: 'expired' }`.
 * It sends `{ type: 'ready' }` once it has a session.
 */
import { parseArgs } from 'node:util';
import { Subject, type Subscription } from 'rxjs';
import { connect } from '../../src/index.js';
import { expireSession } from '../../src/testing/index.js';
import { chaosLog } from './chaos-log.js';
import { chaosPaths } from './chaos-paths.js';
import type { Role } from './events.js';
import { runCandidate } from './roles/candidate.js';
import { runDiscoverer } from './roles/discoverer.js';
import { runLocker } from './roles/locker.js';
import { describeError, type ParticipantContext } from './roles/participant-context.js';
import { runRegistrant } from './roles/registrant.js';
import { runWatcher } from './roles/watcher.js';
import { runWriter } from './roles/writer.js';

/** What the runner sends. */
export type ToParticipant = { type: 'stop' } | { type: 'expire' };
/** What a participant sends back. */
export type FromParticipant = { type: 'ready' } | { type: 'expired'; error?: string };

/** What each role does; a promise resolves (a subscription is unsubscribed) when told to stop. */
const PLAY: Record<Role, (ctx: ParticipantContext) => Subscription | Promise<void>> = {
  locker: runLocker,
  candidate: runCandidate,
  registrant: runRegistrant,
  discoverer: runDiscoverer,
  writer: runWriter,
  watcher: runWatcher,
};

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    id: { type: 'string' },
    inc: { type: 'string', default: '1' },
    connect: { type: 'string' },
    servers: { type: 'string' },
    root: { type: 'string' },
    log: { type: 'string' },
    'session-timeout': { type: 'string', default: '4000' },
    mode: { type: 'string', default: 'withLock' },
  },
});
const role = values.role as Role;
const { id, connect: connectString, servers, root, log: logFile } = values;
if (!Object.hasOwn(PLAY, role) || !id || !connectString || !servers || !root || !logFile) {
  console.error(`participant: --role (${Object.keys(PLAY).join('|')}), --id, --connect, --servers, --root and --log are required`);
  process.exit(2);
}
const inc = Number(values.inc);
const log = chaosLog(logFile, id, inc);
const send = (message: FromParticipant) => {
  if (process.connected) process.send?.(message);
};

log({ ev: 'start', role, pid: process.pid });
process.on('warning', (warning) => log({ ev: 'warning', name: warning.name, message: warning.message }));

const zk = connect(connectString, { sessionTimeoutMs: Number(values['session-timeout']) });
zk.state$.subscribe((state) => log({ ev: 'state', state, session: zk.sessionId, timeoutMs: zk.sessionTimeoutMs }));

const stop$ = new Subject<void>();
let stopping = false;
const ctx: ParticipantContext = {
  zk,
  id,
  inc,
  paths: chaosPaths(root),
  log,
  stop$,
  stopping: () => stopping,
  mode: values.mode === 'lock' ? 'lock' : 'withLock',
};

const working = PLAY[role](ctx);

zk.ready({ timeoutMs: 60_000 }).then(
  () => send({ type: 'ready' }),
  (error: unknown) => {
    const { name, message } = describeError(error);
    log({ ev: 'stream-error', what: 'ready', name, message });
  },
);

/** Stops playing, closes the session (what is left of its nodes goes with it), exits. */
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  log({ ev: 'stop' });
  stop$.next();
  if (working instanceof Promise) await working.catch(() => undefined);
  // A blackholed or unreachable ensemble cannot hold the exit up for long.
  await Promise.race([zk.close(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  log.close();
  process.exit(0);
}

process.on('message', (message: ToParticipant) => {
  if (message.type === 'stop') void stop();
  if (message.type === 'expire') {
    expireSession(zk, { connectString: servers }).then(
      () => send({ type: 'expired' }),
      (error: unknown) => send({ type: 'expired', error: describeError(error).message }),
    );
  }
});
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// The runner is gone (killed outright): nobody will read what comes next.
process.on('disconnect', () => void stop());
