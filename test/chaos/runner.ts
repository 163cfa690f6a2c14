/**
 * Runs one chaos run: a 3-member ensemble (or the user's own), participants each in a process of
 * its own and each behind a fault proxy of its own, the seeded fault schedule, a quiet end, then
 * the checker over every log. Everything it starts is stopped when it ends, fails or is aborted.
 *
 * The order of a run:
 * 1. the ensemble, the run's nodes (`/rxzk-chaos/run-<seed>-<id>`), one proxy and one process per
 *    participant; `ready` once every participant has a session: the schedule counts from there;
 * 2. the faults, on two tracks side by side (members, participants), until the schedule is done;
 * 3. the quiet end: the writer stops a little before the end and the node's final value is read;
 *    at `end` every participant is told to stop, then the final counter is read;
 * 4. the checker over every log in the run's directory.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, election$, type ZkClient } from '../../src/index.js';
import { faultProxy, startZooKeeper, type TestingZooKeeper } from '../../src/testing/index.js';
import { chaosLog, type ChaosLog } from './chaos-log.js';
import { chaosPaths, type ChaosPaths, type CounterValue } from './chaos-paths.js';
import { checkRun, type CheckResult } from './checker.js';
import { readRunLogs, type ParticipantSpec } from './events.js';
import { ParticipantProcesses } from './participant-processes.js';
import { faultSchedule, LEADING_CANDIDATE, type FaultSchedule, type PlannedFault } from './schedule.js';

export interface ChaosOptions {
  readonly durationMs: number;
  readonly seed: number;
  /** An ensemble of the user's own (`host:port,...`): then no member is killed. */
  readonly connect?: string;
  /** Where the logs go. Default: a new temporary directory. */
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

/** How long before the end the writer stops, so that the watchers can catch up with its last value. */
const WRITER_LEAD_MS = 3_000;
const LEADER_POLL_MS = 500;
const READY_TIMEOUT_MS = 120_000;
const EXPIRE_TIMEOUT_MS = 20_000;

class Aborted extends Error {
  override readonly name = 'Aborted';
}

export async function runChaos(options: ChaosOptions): Promise<ChaosOutcome> {
  const outDir = options.outDir ?? (await mkdtemp(join(tmpdir(), 'rxzk-chaos-')));
  await mkdir(outDir, { recursive: true });
  const run = new ChaosRun(options, outDir);
  try {
    await run.run();
  } catch (error) {
    if (error instanceof Aborted) options.say('aborted: stopping everything');
    throw error;
  } finally {
    await run.stop();
  }
  const result = checkRun(await readRunLogs(outDir), options.stallMs === undefined ? {} : { stallMs: options.stallMs });
  return { result, outDir };
}

class ChaosRun {
  private readonly log: ChaosLog;
  private readonly quietMs: number;
  private readonly external: boolean;
  private readonly paths: ChaosPaths;
  private ensemble?: TestingZooKeeper;
  private admin?: ZkClient;
  private participants?: ParticipantProcesses;
  /** The leading candidate as the admin client sees it, for faults aimed at the leader. */
  private leadingCandidate: string | null = null;
  /** Follows the ensemble's leader until the run ends (every session's expiry restarts with a new one). */
  private readonly leaderWatch = { on: false, done: Promise.resolve() };
  private readonly cleanups: (() => void)[] = [];
  /** When the run started: what people read counts from here, as the report does. */
  private runStart = performance.now();
  /** When the participants were all up: the schedule counts from here. */
  private t0 = 0;

  constructor(
    private readonly options: ChaosOptions,
    private readonly outDir: string,
  ) {
    this.log = chaosLog(join(outDir, 'runner.jsonl'), 'runner', 0);
    this.quietMs = options.quietMs ?? 2 * options.sessionTimeoutMs + 7_000;
    this.external = options.connect !== undefined;
    this.paths = chaosPaths(`/rxzk-chaos/run-${options.seed}-${randomUUID().slice(0, 8)}`);
  }

  async run(): Promise<void> {
    const { options, log, paths } = this;
    const say = options.say;
    say(this.external ? `ensemble: ${options.connect} (yours: no member is killed)` : 'starting a 3-member ensemble...');
    const ensemble = await (this.external
      ? startZooKeeper({ source: 'external', connectString: options.connect! })
      : startZooKeeper({ servers: 3, source: 'local' }));
    this.ensemble = ensemble;
    if (options.signal?.aborted) throw new Aborted('aborted');
    const admin = connect(ensemble.connectString, { sessionTimeoutMs: 10_000 });
    this.admin = admin;
    await admin.ready({ timeoutMs: 30_000 });
    await admin.create(paths.root, null, { parents: true });
    const initial: CounterValue = { value: 0, token: null, by: null };
    await admin.create(paths.counter, JSON.stringify(initial));
    await admin.create(paths.data, '0');
    for (const node of [paths.lock, paths.election, paths.services]) await admin.create(node);

    this.runStart = performance.now();
    log({
      ev: 'run',
      seed: options.seed,
      durationMs: options.durationMs,
      quietMs: this.quietMs,
      sessionTimeoutMs: options.sessionTimeoutMs,
      external: this.external,
      participants: [...ROSTER],
    });
    say(`starting ${ROSTER.length} participants (logs in ${this.outDir})...`);
    const participants = new ParticipantProcesses({
      outDir: this.outDir,
      root: paths.root,
      servers: ensemble.connectString,
      sessionTimeoutMs: options.sessionTimeoutMs,
      log,
      say,
    });
    this.participants = participants;
    for (const spec of ROSTER) participants.add(spec, await faultProxy(ensemble.connectString));
    await Promise.race([
      Promise.all([...participants.byId.values()].map((p) => p.ready)),
      this.sleep(READY_TIMEOUT_MS).then(() => {
        throw new Error(`the participants did not all get a session within ${READY_TIMEOUT_MS / 1000} s`);
      }),
    ]);
    this.t0 = performance.now();
    log({ ev: 'ready' });
    this.tell('every participant has a session');
    this.followLeaders(admin);

    const schedule = faultSchedule({
      seed: options.seed,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs ?? 3_000,
      quietMs: this.quietMs,
      sessionTimeoutMs: options.sessionTimeoutMs,
      participants: ROSTER,
      killMembers: !this.external,
    });
    await this.until(schedule.faultsStart);
    log({ ev: 'faults-start' });
    this.tell(`faults start (${schedule.members.length} member kills and ${schedule.participants.length} participant faults planned)`);
    await Promise.all([this.memberTrack(schedule), this.participantTrack(schedule)]);
    log({ ev: 'faults-end' });
    const faultsEnd = performance.now() - this.t0;
    this.tell('faults stop; waiting for everything to converge');

    await this.until(Math.max(options.durationMs, faultsEnd + this.quietMs) - WRITER_LEAD_MS);
    for (const p of ROSTER.filter((s) => s.role === 'writer')) await participants.stop(p.id);
    log({ ev: 'final', data: Number((await admin.get(paths.data)).data.toString()) });
    await this.sleep(WRITER_LEAD_MS);
    log({ ev: 'end' });
    this.tell('end: stopping the participants');
    await participants.stopAll();
    log({ ev: 'final', counter: (JSON.parse((await admin.get(paths.counter)).data.toString()) as CounterValue).value });
  }

  /** Stops everything the run started, whatever state it is in. */
  async stop(): Promise<void> {
    this.leaderWatch.on = false;
    for (const cleanup of this.cleanups) cleanup();
    await this.participants?.stopAll();
    await this.leaderWatch.done.catch(() => undefined);
    await Promise.all([...(this.participants?.byId.values() ?? [])].map((p) => p.proxy.close().catch(() => undefined)));
    if (this.admin) {
      await this.admin.delete(this.paths.root, { recursive: true }).catch(() => undefined);
      await this.admin.close().catch(() => undefined);
    }
    await this.ensemble?.stop().catch(() => undefined);
    this.log.close();
  }

  /** Logs each change of the ensemble's leader, and keeps the leading candidate's id at hand. */
  private followLeaders(admin: ZkClient): void {
    let lastLeader: number | null | undefined;
    this.leaderWatch.on = true;
    this.leaderWatch.done = (async () => {
      while (this.leaderWatch.on) {
        const leader = await this.ensembleLeader();
        if (leader !== lastLeader && (lastLeader !== undefined || leader !== null)) {
          this.log({ ev: 'ensemble-leader', leader });
          lastLeader = leader;
        }
        await new Promise((r) => setTimeout(r, LEADER_POLL_MS));
      }
    })();
    const election = election$(admin, this.paths.election).subscribe({
      next: (view) => (this.leadingCandidate = view.leaderId),
      error: () => (this.leadingCandidate = null),
    });
    this.cleanups.push(() => election.unsubscribe());
  }

  private async ensembleLeader(): Promise<number | null> {
    return this.ensemble!.leaderIndex().catch(() => null);
  }

  private async memberTrack(schedule: FaultSchedule): Promise<void> {
    for (const f of schedule.members) {
      await this.until(f.at);
      if (f.kind === 'kill-member') await this.killMember(f);
    }
  }

  private async participantTrack(schedule: FaultSchedule): Promise<void> {
    const running = new Map<string, Promise<void>>();
    const candidates = ROSTER.filter((p) => p.role === 'candidate').map((p) => p.id);
    for (const f of schedule.participants) {
      if (f.kind === 'kill-member') continue;
      await this.until(f.at);
      const aimed = f.participant === LEADING_CANDIDATE;
      const target = aimed ? (this.leadingCandidate ?? candidates[Math.floor(f.at) % candidates.length]!) : f.participant;
      // Late against the plan (a slow restart): never two faults on one participant at once.
      await running.get(target);
      const injected = this.hitParticipant({ ...f, participant: target }, aimed && target === this.leadingCandidate);
      // Handled here so that an abort does not leave it unhandled; awaited below all the same.
      injected.catch(() => undefined);
      running.set(target, injected);
    }
    await Promise.all(running.values());
  }

  private async killMember(f: Extract<PlannedFault, { kind: 'kill-member' }>): Promise<void> {
    const ensemble = this.ensemble!;
    const leader = await this.ensembleLeader();
    const followers = [0, 1, 2].filter((i) => i !== leader);
    const member = f.target === 'leader' && leader !== null ? leader : followers[Math.floor(f.pick * followers.length)]!;
    const role = member === leader ? 'leader' : 'follower';
    this.log({ ev: 'fault', kind: 'kill-member', phase: 'start', target: `member-${member}`, detail: role });
    this.tell(`kill member ${member} (${role}), down for ${(f.downMs / 1000).toFixed(1)} s`);
    await ensemble.kill(member);
    await this.sleep(f.downMs);
    await ensemble.restart(member);
    this.log({ ev: 'fault', kind: 'kill-member', phase: 'end', target: `member-${member}` });
    this.tell(`member ${member} serves again`);
  }

  private async hitParticipant(f: Exclude<PlannedFault, { kind: 'kill-member' }>, leading: boolean): Promise<void> {
    const participants = this.participants!;
    const p = participants.get(f.participant);
    const id = p.spec.id;
    const who = leading ? `${id} (leading)` : id;
    switch (f.kind) {
      case 'blackhole':
      case 'cut-connection': {
        const detail = `${Math.round(f.holdMs)} ms${leading ? ', leading' : ''}`;
        this.log({ ev: 'fault', kind: f.kind, phase: 'start', target: id, detail });
        const how = f.kind === 'blackhole' ? `blackhole ${who}` : `cut the connection of ${who}`;
        this.tell(`${how} for ${(f.holdMs / 1000).toFixed(1)} s`);
        await (f.kind === 'blackhole' ? p.proxy.blackhole() : p.proxy.refuse());
        try {
          await this.sleep(f.holdMs);
        } finally {
          await p.proxy.restore();
          this.log({ ev: 'fault', kind: f.kind, phase: 'end', target: id });
        }
        return;
      }
      case 'expire-session': {
        this.log({ ev: 'fault', kind: 'expire-session', phase: 'start', target: id, ...(leading ? { detail: 'leading' } : {}) });
        this.tell(`expire the session of ${who}`);
        const error = await participants.expire(id, this.sleep(EXPIRE_TIMEOUT_MS));
        this.log({ ev: 'fault', kind: 'expire-session', phase: 'end', target: id, ...(error ? { detail: error } : {}) });
        return;
      }
      case 'restart-registrant': {
        this.log({ ev: 'fault', kind: 'restart-registrant', phase: 'start', target: id, detail: `${Math.round(f.pauseMs)} ms` });
        this.tell(`restart ${id} (SIGKILL, then again after ${(f.pauseMs / 1000).toFixed(1)} s)`);
        await participants.restart(id, () => this.sleep(f.pauseMs));
        this.log({ ev: 'fault', kind: 'restart-registrant', phase: 'end', target: id });
        return;
      }
    }
  }

  private tell(line: string): void {
    this.options.say(`${((performance.now() - this.runStart) / 1000).toFixed(1).padStart(6)}s  ${line}`);
  }

  /** Until `at` ms after the participants were all up. */
  private until(at: number): Promise<void> {
    return this.sleep(this.t0 + at - performance.now());
  }

  /** A sleep that the run's abort signal cuts short (rejecting with `Aborted`). */
  private sleep(ms: number): Promise<void> {
    const signal = this.options.signal;
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new Aborted('aborted'));
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Aborted('aborted'));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
