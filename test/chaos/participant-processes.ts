/**
 * The participant processes of a chaos run: each started with `node --import tsx`, in a process
 * group of its own, behind its own fault proxy, its output in `<id>.<incarnation>.stderr`. Tells
 * the run's log when each starts and exits, and whether the runner meant it to exit (a process that
 * exits on its own is a crash to the checker). Every one is stopped by {@link stopAll}, and killed
 * outright if the runner's process exits first.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FaultProxy } from '../../src/testing/index.js';
import type { ChaosLog } from './chaos-log.js';
import type { ParticipantSpec } from './events.js';
import type { FromParticipant, ToParticipant } from './participant.js';

const PARTICIPANT = fileURLToPath(new URL('./participant.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** How long a participant told to stop may take before it is killed. */
const STOP_GRACE_MS = 10_000;

/** One participant id: its proxy (kept across restarts) and its current process. */
export interface Participant {
  readonly spec: ParticipantSpec;
  readonly proxy: FaultProxy;
  /** Incarnation of the current process (1, then one more per restart). */
  inc: number;
  child?: ChildProcess;
  /** Resolves once the current process has a session. */
  ready?: Promise<void>;
}

export interface ParticipantSettings {
  readonly outDir: string;
  /** The run's root node. */
  readonly root: string;
  /** The servers themselves, for `expireSession` (the participants connect through their proxies). */
  readonly servers: string;
  readonly sessionTimeoutMs: number;
  readonly log: ChaosLog;
  readonly say: (line: string) => void;
}

export class ParticipantProcesses {
  readonly byId = new Map<string, Participant>();
  private readonly children = new Set<ChildProcess>();
  private readonly expected = new WeakSet<ChildProcess>();
  private readonly killAll = () => this.children.forEach((c) => c.kill('SIGKILL'));

  constructor(private readonly settings: ParticipantSettings) {
    process.on('exit', this.killAll);
  }

  /** Adds a participant behind `proxy` and starts its first process. */
  add(spec: ParticipantSpec, proxy: FaultProxy): Participant {
    const p: Participant = { spec, proxy, inc: 1 };
    this.byId.set(spec.id, p);
    this.spawn(p);
    return p;
  }

  get(id: string): Participant {
    const p = this.byId.get(id);
    if (!p) throw new Error(`no participant ${id}`);
    return p;
  }

  /** Kills the current process outright (SIGKILL), and once `pause` resolves starts the next incarnation. */
  async restart(id: string, pause: () => Promise<void>): Promise<void> {
    const p = this.get(id);
    const child = p.child;
    if (child && running(child)) {
      this.expected.add(child);
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    await pause();
    p.inc++;
    this.spawn(p);
  }

  /** Ends the participant's session on the server; resolves with what went wrong, if anything. */
  async expire(id: string, timeout: Promise<void>): Promise<string | undefined> {
    const child = this.get(id).child;
    if (!child?.connected) return 'the participant is not running';
    const answer = new Promise<string | undefined>((resolve) => {
      const onMessage = (m: FromParticipant) => {
        if (m.type !== 'expired') return;
        child.off('message', onMessage);
        resolve(m.error);
      };
      child.on('message', onMessage);
      child.once('exit', () => resolve('the participant exited'));
    });
    child.send({ type: 'expire' } satisfies ToParticipant);
    return Promise.race([answer, timeout.then(() => 'no answer in time')]);
  }

  /** Tells the current process of `id` to stop, and waits until it has (killing it if it does not). */
  async stop(id: string): Promise<void> {
    const child = this.get(id).child;
    if (!child || !running(child)) return;
    this.expected.add(child);
    const exited = once(child, 'exit');
    if (child.connected) child.send({ type: 'stop' } satisfies ToParticipant);
    else child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), STOP_GRACE_MS))]);
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  async stopAll(): Promise<void> {
    for (const child of this.children) this.expected.add(child);
    await Promise.all([...this.byId.keys()].map((id) => this.stop(id).catch(() => undefined)));
    process.off('exit', this.killAll);
  }

  private spawn(p: Participant): void {
    const { outDir, root, servers, sessionTimeoutMs, log, say } = this.settings;
    const file = `${p.spec.id}.${p.inc}`;
    const output = openSync(join(outDir, `${file}.stderr`), 'a');
    const child = fork(
      PARTICIPANT,
      [
        ...['--role', p.spec.role, '--id', p.spec.id, '--inc', String(p.inc), '--connect', p.proxy.connectString],
        ...['--servers', servers, '--root', root, '--log', join(outDir, `${file}.jsonl`)],
        ...['--session-timeout', String(sessionTimeoutMs), '--mode', p.spec.mode ?? 'withLock'],
      ],
      // A process group of its own: a terminal's Ctrl-C reaches the runner, which stops everyone in order.
      { execArgv: ['--import', TSX], stdio: ['ignore', output, output, 'ipc'], detached: true },
    );
    closeSync(output);
    this.children.add(child);
    const inc = p.inc;
    log({ ev: 'spawn', id: p.spec.id, incarnation: inc, role: p.spec.role, pid: child.pid ?? -1 });
    child.once('exit', (code, signal) => {
      this.children.delete(child);
      const expected = this.expected.has(child);
      log({ ev: 'exited', id: p.spec.id, incarnation: inc, code, signal, expected });
      if (!expected) say(`${p.spec.id}#${inc} exited on its own (${signal ?? `code ${code}`}); see ${file}.stderr`);
    });
    p.child = child;
    p.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: FromParticipant) => m.type === 'ready' && resolve());
      child.once('exit', () => reject(new Error(`${p.spec.id}#${inc} exited before it had a session; see ${file}.stderr`)));
    });
    p.ready.catch(() => undefined);
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
