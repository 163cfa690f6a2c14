/**
 * Runs one chaos run: a 3-member ensemble (or the user's own), participants each in a process of
 * its own and each behind a fault proxy of its own, the seeded fault schedule, a quiet end, then
 * the checker over every log. Everything it starts is stopped when it ends, fails or is aborted.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connect, election$, fourLetter, parseSrvr, serversOf, type ZkClient } from '../../src/index.js';
import { faultProxy, startZooKeeper, type FaultProxy, type TestingZooKeeper } from '../../src/testing/index.js';
import { chaosLog } from './chaos-log.js';
import { chaosPaths, type CounterValue } from './chaos-paths.js';
import { checkRun, type CheckResult } from './checker.js';
import { readRunLogs, type ParticipantSpec } from './events.js';
import type { FromParticipant, ToParticipant } from './participant.js';
import { faultSchedule, LEADING_CANDIDATE, type PlannedFault } from './schedule.js';

export interface ChaosOptions {
  readonly durationMs: number;
  readonly seed: number;
  /** An ensemble of the user's own (`host:port,...`): then no member is killed. */
  readonly connect?: string;
  /** Where the logs go (kept). Default: a temporary directory, removed after a clean run. */
  readonly outDir?: string;
  readonly sessionTimeoutMs: number;
  /** Faults stop this long before the end. Default: 2 session timeouts + 7 s. */
  readonly quietMs?: number;
  /** No fault in the first moments. Default 3000. */
  readonly warmupMs?: number;
  /** See `CheckOptions.stallMs`. */
  readonly stallMs?: number;
  /** Told what happens, one line at a time. */
  readonly say: (line: string) => void;
  /** Aborts the run (Ctrl-C): everything is stopped, nothing is checked. */
  readonly signal?: AbortSignal;
}

export interface ChaosOutcome {
  readonly result: CheckResult;
  readonly outDir: string;
  readonly options: ChaosOptions;
}

/** The participants of a run. */
export const ROSTER: readonly ParticipantSpec[] = [
  { id: 'locker-1', role: 'locker', mode: 'withLock' },
  { id: 'locker-2', role: 'locker', mode: 'withLock' },
  { id: 'locker-3', role: 'locker', mode: 'lock' },
  { id: 'candidate-1', role: 'candidate' },
  { id: 'candidate-2', role: 'candidate' },
  { id: 'candidate-3', role: 'candidate' },
  { id: 'registrant-1', role: 'registrant' },
  { id: 'registrant-2', role: 'registrant' },
  { id: 'registrant-3', role: 'registrant' },
  { id: 'discoverer-1', role: 'discoverer' },
  { id: 'discoverer-2', role: 'discoverer' },
  { id: 'writer-1', role: 'writer' },
  { id: 'watcher-1', role: 'watcher' },
  { id: 'watcher-2', role: 'watcher' },
];

const PARTICIPANT = fileURLToPath(new URL('./participant.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** How long before the end the writer stops, so that the watchers can catch up with its last value. */
const WRITER_LEAD_MS = 3_000;
const LEADER_POLL_MS = 500;

class Aborted extends Error {
  override readonly name = 'Aborted';
}

interface Participant {
  readonly spec: ParticipantSpec;
  readonly proxy: FaultProxy;
  inc: number;
  child?: ChildProcess;
  ready?: Promise<void>;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosOutcome> {
  const outDir = options.outDir ?? (await mkdtemp(join(tmpdir(), 'rxzk-chaos-')));
  await mkdir(outDir, { recursive: true });
  const log = chaosLog(join(outDir, 'runner.jsonl'), 'runner', 0);
  const quietMs = options.quietMs ?? 2 * options.sessionTimeoutMs + 7_000;
  const warmupMs = options.warmupMs ?? 3_000;
  const external = options.connect !== undefined;
  const say = options.say;
  const signal = options.signal;

  const participants = new Map<string, Participant>();
  const children = new Set<ChildProcess>();
  const expected = new WeakSet<ChildProcess>();
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.on('exit', killAll);

  let ensemble: TestingZooKeeper | undefined;
  let admin: ZkClient | undefined;
  /** Follows the ensemble's leader until the run ends (every session's expiry restarts with a new one). */
  const leaderWatch = { on: false, done: Promise.resolve() };
  const cleanups: (() => void)[] = [];
  const paths = chaosPaths(`/rxzk-chaos/run-${options.seed}-${randomUUID().slice(0, 8)}`);

  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new Aborted('aborted'));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Aborted('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  const spawnParticipant = (p: Participant): void => {
    const file = `${p.spec.id}.${p.inc}`;
    const output = openSync(join(outDir, `${file}.stderr`), 'a');
    const servers = ensemble!.connectString;
    const child = fork(
      PARTICIPANT,
      [
        ...['--role', p.spec.role, '--id', p.spec.id, '--inc', String(p.inc), '--connect', p.proxy.connectString],
        ...['--servers', servers, '--root', paths.root, '--log', join(outDir, `${file}.jsonl`)],
        ...['--session-timeout', String(options.sessionTimeoutMs), '--mode', p.spec.mode ?? 'withLock'],
      ],
      // A process group of its own: a terminal's Ctrl-C reaches the runner, which stops everyone in order.
      { execArgv: ['--import', TSX], stdio: ['ignore', output, output, 'ipc'], detached: true },
    );
    closeSync(output);
    children.add(child);
    const inc = p.inc;
    log({ ev: 'spawn', id: p.spec.id, incarnation: inc, role: p.spec.role, pid: child.pid ?? -1 });
    child.once('exit', (code, exitSignal) => {
      children.delete(child);
      log({ ev: 'exited', id: p.spec.id, incarnation: inc, code, signal: exitSignal, expected: expected.has(child) });
      if (!expected.has(child)) say(`${p.spec.id}#${inc} exited on its own (${exitSignal ?? `code ${code}`})`);
    });
    p.child = child;
    p.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: FromParticipant) => m.type === 'ready' && resolve());
      child.once('exit', () => reject(new Error(`${p.spec.id}#${inc} exited before it had a session; see ${file}.stderr`)));
    });
    p.ready.catch(() => undefined);
  };

  const stopChild = async (child: ChildProcess | undefined): Promise<void> => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    expected.add(child);
    const exited = once(child, 'exit');
    if (child.connected) child.send({ type: 'stop' } satisfies ToParticipant);
    else child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const leaderOf = async (): Promise<number | null> => {
    if (!external) return ensemble!.leaderIndex().catch(() => null);
    const modes = await Promise.all(
      serversOf(options.connect!).map(async (a) => parseSrvr(await fourLetter(a, 'srvr', { timeoutMs: 1_000 }).catch(() => '')).mode),
    );
    const leader = modes.findIndex((m) => m === 'leader' || m === 'standalone');
    return leader < 0 ? null : leader;
  };

  /** When the participants were all up: the schedule counts from here. */
  let t0 = 0;
  /** When the run started: what people read counts from here, as the report does. */
  let runStart = performance.now();
  const elapsed = () => ((performance.now() - runStart) / 1000).toFixed(1).padStart(6);
  const tell = (line: string) => say(`${elapsed()}s  ${line}`);

  const injectMember = async (f: Extract<PlannedFault, { kind: 'kill-member' }>): Promise<void> => {
    const leader = await leaderOf();
    const followers = [0, 1, 2].filter((i) => i !== leader);
    const member = f.target === 'leader' && leader !== null ? leader : followers[Math.floor(f.pick * followers.length)]!;
    const role = member === leader ? 'leader' : 'follower';
    log({ ev: 'fault', kind: 'kill-member', phase: 'start', target: `member-${member}`, detail: role });
    tell(`kill member ${member} (${role}), down for ${(f.downMs / 1000).toFixed(1)} s`);
    await ensemble!.kill(member);
    await sleep(f.downMs);
    await ensemble!.restart(member);
    log({ ev: 'fault', kind: 'kill-member', phase: 'end', target: `member-${member}` });
    tell(`member ${member} serves again`);
  };

  /** The leading candidate as the admin client sees it, for faults aimed at the leader. */
  let leadingCandidate: string | null = null;
  const injectParticipant = async (f: Exclude<PlannedFault, { kind: 'kill-member' }>, leading: boolean): Promise<void> => {
    const p = participants.get(f.participant)!;
    const who = leading ? `${p.spec.id} (leading)` : p.spec.id;
    switch (f.kind) {
      case 'blackhole':
      case 'cut-connection': {
        const detail = `${Math.round(f.holdMs)} ms${leading ? ', leading' : ''}`;
        log({ ev: 'fault', kind: f.kind, phase: 'start', target: p.spec.id, detail });
        const how = f.kind === 'blackhole' ? `blackhole ${who}` : `cut the connection of ${who}`;
        tell(`${how} for ${(f.holdMs / 1000).toFixed(1)} s`);
        await (f.kind === 'blackhole' ? p.proxy.blackhole() : p.proxy.refuse());
        try {
          await sleep(f.holdMs);
        } finally {
          await p.proxy.restore();
          log({ ev: 'fault', kind: f.kind, phase: 'end', target: p.spec.id });
        }
        return;
      }
      case 'expire-session': {
        const child = p.child;
        if (!child?.connected) return;
        log({ ev: 'fault', kind: 'expire-session', phase: 'start', target: p.spec.id, ...(leading ? { detail: 'leading' } : {}) });
        tell(`expire the session of ${who}`);
        const answer = new Promise<FromParticipant>((resolve) => {
          const onMessage = (m: FromParticipant) => {
            if (m.type !== 'expired') return;
            child.off('message', onMessage);
            resolve(m);
          };
          child.on('message', onMessage);
          child.once('exit', () => resolve({ type: 'expired', error: 'the participant exited' }));
        });
        child.send({ type: 'expire' } satisfies ToParticipant);
        const reply = await Promise.race([answer, sleep(20_000).then(() => ({ type: 'expired', error: 'no answer in 20 s' }) as const)]);
        const error = reply.type === 'expired' ? reply.error : undefined;
        log({ ev: 'fault', kind: 'expire-session', phase: 'end', target: p.spec.id, ...(error ? { detail: error } : {}) });
        return;
      }
      case 'restart-registrant': {
        const child = p.child;
        log({ ev: 'fault', kind: 'restart-registrant', phase: 'start', target: p.spec.id, detail: `${Math.round(f.pauseMs)} ms` });
        tell(`restart ${p.spec.id} (SIGKILL, then again after ${(f.pauseMs / 1000).toFixed(1)} s)`);
        if (child && child.exitCode === null && child.signalCode === null) {
          expected.add(child);
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        }
        await sleep(f.pauseMs);
        p.inc++;
        spawnParticipant(p);
        log({ ev: 'fault', kind: 'restart-registrant', phase: 'end', target: p.spec.id });
        return;
      }
    }
  };

  try {
    say(external ? `ensemble: ${options.connect} (yours: no member is killed)` : 'starting a 3-member ensemble...');
    ensemble = external ? externalEnsemble(options.connect!) : await startZooKeeper({ servers: 3, source: 'local' });
    if (signal?.aborted) throw new Aborted('aborted');
    admin = connect(ensemble.connectString, { sessionTimeoutMs: 10_000 });
    await admin.ready({ timeoutMs: 30_000 });
    await admin.create(paths.root, null, { parents: true });
    const initial: CounterValue = { value: 0, token: null, by: null };
    await admin.create(paths.counter, JSON.stringify(initial));
    await admin.create(paths.data, '0');
    for (const node of [paths.lock, paths.election, paths.services]) await admin.create(node);

    runStart = performance.now();
    log({
      ev: 'run',
      seed: options.seed,
      durationMs: options.durationMs,
      quietMs,
      sessionTimeoutMs: options.sessionTimeoutMs,
      external,
      participants: [...ROSTER],
    });
    say(`starting ${ROSTER.length} participants (logs in ${outDir})...`);
    for (const spec of ROSTER) {
      participants.set(spec.id, { spec, proxy: await faultProxy(ensemble.connectString), inc: 1 });
    }
    for (const p of participants.values()) spawnParticipant(p);
    await Promise.race([
      Promise.all([...participants.values()].map((p) => p.ready)),
      sleep(120_000).then(() => {
        throw new Error('the participants did not all get a session within 120 s');
      }),
    ]);
    t0 = performance.now();
    log({ ev: 'ready' });
    tell('every participant has a session');

    let lastLeader: number | null | undefined;
    leaderWatch.on = true;
    leaderWatch.done = (async () => {
      while (leaderWatch.on) {
        const leader = await leaderOf();
        if (leader !== lastLeader && (lastLeader !== undefined || leader !== null)) {
          log({ ev: 'ensemble-leader', leader });
          lastLeader = leader;
        }
        await new Promise((r) => setTimeout(r, LEADER_POLL_MS));
      }
    })();

    const election = election$(admin, paths.election).subscribe({
      next: (view) => (leadingCandidate = view.leaderId),
      error: () => (leadingCandidate = null),
    });
    cleanups.push(() => election.unsubscribe());
    const schedule = faultSchedule({
      seed: options.seed,
      durationMs: options.durationMs,
      warmupMs,
      quietMs,
      sessionTimeoutMs: options.sessionTimeoutMs,
      participants: ROSTER,
      killMembers: !external,
    });
    const until = (at: number) => sleep(t0 + at - performance.now());
    await until(schedule.faultsStart);
    log({ ev: 'faults-start' });
    tell(`faults start (${schedule.members.length} member kills and ${schedule.participants.length} participant faults planned)`);

    const memberTrack = (async () => {
      for (const f of schedule.members) {
        await until(f.at);
        if (f.kind === 'kill-member') await injectMember(f);
      }
    })();
    const running = new Map<string, Promise<void>>();
    const participantTrack = (async () => {
      for (const f of schedule.participants) {
        if (f.kind === 'kill-member') continue;
        await until(f.at);
        const candidates = ROSTER.filter((p) => p.role === 'candidate').map((p) => p.id);
        const leading = f.participant === LEADING_CANDIDATE;
        const target = !leading ? f.participant : (leadingCandidate ?? candidates[Math.floor(f.at) % candidates.length]!);
        // Late against the plan (a slow restart): never two faults on one participant at once.
        await running.get(target);
        const injected = injectParticipant({ ...f, participant: target }, leading && target === leadingCandidate);
        // Handled here so that an abort does not leave it unhandled; awaited below all the same.
        injected.catch(() => undefined);
        running.set(target, injected);
      }
      await Promise.all(running.values());
    })();
    await Promise.all([memberTrack, participantTrack]);
    log({ ev: 'faults-end' });
    const faultsEnd = performance.now() - t0;
    tell('faults stop; waiting for everything to converge');

    await until(Math.max(options.durationMs, faultsEnd + quietMs) - WRITER_LEAD_MS);
    const writers = [...participants.values()].filter((p) => p.spec.role === 'writer');
    await Promise.all(writers.map((p) => stopChild(p.child)));
    const data = Number((await admin.get(paths.data)).data.toString());
    log({ ev: 'final', data });
    await sleep(WRITER_LEAD_MS);
    log({ ev: 'end' });
    tell('end: stopping the participants');
    await Promise.all([...participants.values()].map((p) => stopChild(p.child)));
    const counter = (JSON.parse((await admin.get(paths.counter)).data.toString()) as CounterValue).value;
    log({ ev: 'final', counter });
  } catch (error) {
    if (error instanceof Aborted) say('aborted: stopping everything');
    throw error;
  } finally {
    leaderWatch.on = false;
    for (const cleanup of cleanups) cleanup();
    for (const child of children) expected.add(child);
    await Promise.all([...participants.values()].map((p) => stopChild(p.child).catch(() => undefined)));
    await leaderWatch.done.catch(() => undefined);
    await Promise.all([...participants.values()].map((p) => p.proxy.close().catch(() => undefined)));
    if (admin) {
      await admin.delete(paths.root, { recursive: true }).catch(() => undefined);
      await admin.close().catch(() => undefined);
    }
    await ensemble?.stop().catch(() => undefined);
    log.close();
    process.off('exit', killAll);
  }

  const result = checkRun(await readRunLogs(outDir), options.stallMs === undefined ? {} : { stallMs: options.stallMs });
  return { result, outDir, options };
}

/** The user's ensemble, when `ZK_CONNECT` does not name it: no process control. */
function externalEnsemble(connectString: string): TestingZooKeeper {
  const addresses = serversOf(connectString);
  const refuse = async () => {
    throw new Error('members of an ensemble this run did not start are not killed');
  };
  return {
    connectString: addresses.join(','),
    size: addresses.length,
    source: 'external',
    address: (i) => addresses[i]!,
    stop: async () => {},
    kill: refuse,
    restart: refuse,
    leaderIndex: refuse,
    fourLetter: (i, command) => fourLetter(addresses[i]!, command),
  };
}
