/**
 * Synthetic chaos logs for the checker's tests: a run of `seconds` (times are given in seconds and
 * logged in ms), its participants started at 0 with live 4 s sessions, faults from 2 s to
 * `faultsEnd`, and whatever lines a test adds.
 */
import type { ChaosEvent, ParticipantSpec, Role } from '../../chaos/events.js';

type Fields = { ev: ChaosEvent['ev'] } & Record<string, unknown>;

export const SESSION_TIMEOUT_MS = 4_000;

export class SyntheticRun {
  readonly events: ChaosEvent[] = [];

  constructor(
    readonly participants: readonly ParticipantSpec[],
    readonly options: { end?: number; faultsEnd?: number } = {},
  ) {
    const end = options.end ?? 60;
    this.runner(0, {
      ev: 'run',
      seed: 1,
      durationMs: end * 1000,
      quietMs: 15_000,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      external: false,
      participants,
    });
    for (const p of participants) this.spawn(0, p.id, p.role);
    this.runner(2, { ev: 'faults-start' });
    this.runner(options.faultsEnd ?? end - 20, { ev: 'faults-end' });
    this.runner(end, { ev: 'end' });
  }

  /** A participant process started at `s` (incarnation `inc`), live at once. */
  spawn(s: number, id: string, role: Role, inc = 1): this {
    this.runner(s, { ev: 'spawn', id, incarnation: inc, role, pid: 1000 + inc });
    this.line(s, id, { ev: 'start', role, pid: 1000 + inc }, inc);
    this.line(s, id, { ev: 'state', state: 'connected', session: `s-${id}-${inc}`, timeoutMs: SESSION_TIMEOUT_MS }, inc);
    return this;
  }

  /** A participant's line at `s` seconds. */
  line(s: number, p: string, fields: Fields, inc = 1): this {
    this.events.push({ t: 1_700_000_000_000 + s * 1000, mono: s * 1000, p, inc, ...fields } as ChaosEvent);
    return this;
  }

  /** A runner's line at `s` seconds. */
  runner(s: number, fields: Fields): this {
    return this.line(s, 'runner', fields, 0);
  }

  state(s: number, p: string, state: string, inc = 1): this {
    return this.line(s, p, { ev: 'state', state, session: `s-${p}-${inc}`, timeoutMs: SESSION_TIMEOUT_MS }, inc);
  }

  /** A complete critical section with a successful increment `from` → `from + 1`. */
  section(from: number, to: number, p: string, token: number, counter: number, storedToken: number | null = null): this {
    this.line(from, p, { ev: 'want', mode: 'withLock' });
    this.line(from, p, { ev: 'enter', token: String(token) });
    const stored = storedToken === null ? null : String(storedToken);
    this.line(from, p, { ev: 'read', token: String(token), value: counter, version: counter, storedToken: stored });
    this.line(to, p, { ev: 'write', token: String(token), from: counter, to: counter + 1, outcome: 'ok', held: true });
    this.line(to, p, { ev: 'exit', token: String(token), reason: 'done' });
    return this.line(to, p, { ev: 'released' });
  }

  leads(s: number, p: string, isLeader: boolean, leaderId: string | null, candidates: string[] = []): this {
    return this.line(s, p, { ev: 'leadership', isLeader, leaderId, candidates });
  }
}

export const lockers = (n: number): ParticipantSpec[] =>
  Array.from({ length: n }, (_, i) => ({ id: `locker-${i + 1}`, role: 'locker' as const, mode: 'withLock' as const }));

export const named = (role: Role, n: number): ParticipantSpec[] => Array.from({ length: n }, (_, i) => ({ id: `${role}-${i + 1}`, role }));
