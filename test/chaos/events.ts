/**
 * What a chaos run writes down: one JSON object per line, per process. Participants log what they
 * believe (a lock held, a leader, a list of instances, a value seen), the runner logs what it did
 * (faults, processes started and stopped, the ensemble's leader, the final values on the server).
 * The checker reads nothing else.
 *
 * Every line carries a wall-clock time (`t`, for people) and a monotonic one (`mono`, for the
 * checker): `process.hrtime` is the system's monotonic clock, the same for every process of the
 * machine, so lines of different processes can be ordered by it even if the wall clock steps.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a participant process does. */
export type Role = 'locker' | 'candidate' | 'registrant' | 'discoverer' | 'writer' | 'watcher';

/** The kinds of fault a run injects. */
export type FaultKind = 'kill-member' | 'blackhole' | 'cut-connection' | 'expire-session' | 'restart-registrant';

/** Where a logged line came from, to quote it in a report. */
export interface Source {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

interface Base {
  /** Wall clock, ms since the epoch. */
  readonly t: number;
  /** Monotonic clock, ms (comparable between processes of one machine). */
  readonly mono: number;
  /** Who logged it: a participant id (`locker-1`), or `runner`. */
  readonly p: string;
  /** Incarnation of the participant (a registrant restarted with the same id counts up from 1). */
  readonly inc: number;
  readonly src?: Source;
}

/** Lines every participant writes. */
export type CommonEvent =
  | { ev: 'start'; role: Role; pid: number }
  /** A connection state, with the session it is on and the timeout the server granted. */
  | { ev: 'state'; state: string; session: string | null; timeoutMs: number }
  /** A process warning (MaxListenersExceededWarning...). */
  | { ev: 'warning'; name: string; message: string }
  /** A recipe stream errored where it should not have (the participant subscribes again). */
  | { ev: 'stream-error'; what: string; name: string; message: string }
  /** Told to stop: what it believed until now is its final belief. */
  | { ev: 'stop' };

/** Lines of a lock holder. `token` is the fencing token, a decimal bigint. */
export type LockerEvent =
  /** Queues for the lock. */
  | { ev: 'want'; mode: 'withLock' | 'lock' }
  /** Believes it holds the lock: the critical section starts. */
  | { ev: 'enter'; token: string }
  /** Read the counter inside the section: its value, version, and the token of its last writer. */
  | { ev: 'read'; token: string; value: number; version: number; storedToken: string | null }
  /** A conditional set of the counter from `from` to `to`; `held`: still in the section when answered. */
  | {
      ev: 'write';
      token: string;
      from: number;
      to: number;
      outcome: 'ok' | 'conflict' | 'unknown' | 'failed';
      held: boolean;
      error?: string;
    }
  /** Told `lost` while holding. */
  | { ev: 'lost'; token: string }
  /** The critical section ends. */
  | { ev: 'exit'; token: string; reason: 'done' | 'lost' | 'failed' | 'stopped' }
  /** No longer queued (released, or the attempt ended with an error). */
  | { ev: 'released'; error?: string };

export type CandidateEvent = { ev: 'leadership'; isLeader: boolean; leaderId: string | null; candidates: string[] };
export type RegistrantEvent = { ev: 'registration'; state: string };
export type DiscovererEvent = { ev: 'discovered'; ids: string[] };
export type WriterEvent = { ev: 'data-write'; value: number; outcome: 'ok' | 'unknown' | 'failed'; error?: string };
export type WatcherEvent = { ev: 'value'; value: number | null };

/** A participant as the runner started it. */
export interface ParticipantSpec {
  readonly id: string;
  readonly role: Role;
  /** For lockers: which API holds the lock. */
  readonly mode?: 'withLock' | 'lock';
}

/** Lines of the runner. */
export type RunnerEvent =
  | {
      ev: 'run';
      seed: number;
      durationMs: number;
      quietMs: number;
      sessionTimeoutMs: number;
      /** Whether the ensemble is the user's own (`--connect`): then no member is killed. */
      external: boolean;
      participants: ParticipantSpec[];
    }
  | { ev: 'spawn'; id: string; incarnation: number; role: Role; pid: number }
  /** A participant process ended; `expected` when the runner stopped or killed it. */
  | { ev: 'exited'; id: string; incarnation: number; code: number | null; signal: string | null; expected: boolean }
  | { ev: 'fault'; kind: FaultKind; phase: 'start' | 'end'; target: string; detail?: string }
  /** The ensemble's leader changed (member index, `null` while none leads). */
  | { ev: 'ensemble-leader'; leader: number | null }
  /** Every participant has a session: the run proper starts. */
  | { ev: 'ready' }
  | { ev: 'faults-start' }
  | { ev: 'faults-end' }
  /** The end of the run: what each participant believes now is what it ends on. */
  | { ev: 'end' }
  /** Read on the server at the end: the counter (after every locker stopped) and the data node. */
  | { ev: 'final'; counter?: number; data?: number };

export type ChaosEvent = Base &
  (CommonEvent | LockerEvent | CandidateEvent | RegistrantEvent | DiscovererEvent | WriterEvent | WatcherEvent | RunnerEvent);

/** The event named `E`. */
export type EventOf<E extends ChaosEvent['ev']> = Extract<ChaosEvent, { ev: E }>;

/** Whether `e` is an `ev` event (narrows its type). */
export function is<E extends ChaosEvent['ev']>(e: ChaosEvent, ev: E): e is EventOf<E> {
  return e.ev === ev;
}

/** The events named `ev`, in the order given. */
export function eventsOf<E extends ChaosEvent['ev']>(events: readonly ChaosEvent[], ev: E): EventOf<E>[] {
  return events.filter((e): e is EventOf<E> => e.ev === ev);
}

/** `p#inc`: one process (a participant's incarnation). */
export function processKey(e: { p: string; inc: number }): string {
  return `${e.p}#${e.inc}`;
}

/** Parses one log file's lines; a line that is not a JSON object (a torn last line of a killed process) is skipped. */
export function parseLog(file: string, text: string): ChaosEvent[] {
  const events: ChaosEvent[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      const parsed = JSON.parse(line) as ChaosEvent;
      if (parsed && typeof parsed === 'object' && typeof parsed.mono === 'number' && typeof parsed.ev === 'string') {
        events.push({ ...parsed, src: { file, line: index + 1, text: line } });
      }
    } catch {
      // a line cut short by SIGKILL
    }
  });
  return events;
}

/** Every event of every `*.jsonl` file in `dir`, in monotonic order. */
export async function readRunLogs(dir: string): Promise<ChaosEvent[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  const all: ChaosEvent[] = [];
  for (const file of files) all.push(...parseLog(file, await readFile(join(dir, file), 'utf8')));
  return sortByTime(all);
}

/** Sorted by the monotonic clock; lines of one file keep their order. */
export function sortByTime<T extends { mono: number }>(events: readonly T[]): T[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.mono - b.e.mono || a.i - b.i)
    .map(({ e }) => e);
}
