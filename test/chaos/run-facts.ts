/**
 * What every check needs from a run's logs, worked out once: the run's phases, each participant
 * process with its own lines, when its beliefs end, when its session was live, and when the
 * ensemble had a leader.
 */
import { eventsOf, processKey, sortByTime, type ChaosEvent, type EventOf, type ParticipantSpec, type Role } from './events.js';
import { normalize, subtract, whileState, type Interval } from './intervals.js';

/** One participant process (an incarnation of a participant id). */
export interface ProcessFacts {
  readonly key: string;
  readonly id: string;
  readonly inc: number;
  readonly role: Role;
  /** Its own lines, in time order. */
  readonly events: readonly ChaosEvent[];
  readonly startedAt: number;
  /** When what it believes stops counting: told to stop, exited, or the run ended. */
  readonly beliefEnd: number;
  /** Whether it was alive (not exited) at the end of the run. */
  readonly aliveAtEnd: boolean;
  /** The runner's line saying it exited, if it did. */
  readonly exited?: EventOf<'exited'>;
  /** While its session was live (connected or reconnected) and no fault of its own was under way. */
  readonly live: readonly Interval[];
}

/** A fault the runner injected into one participant (blackhole, session expiry). */
export interface ParticipantFault {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly start: EventOf<'fault'>;
}

export interface RunFacts {
  readonly events: readonly ChaosEvent[];
  readonly run?: EventOf<'run'>;
  readonly participants: readonly ParticipantSpec[];
  readonly start: number;
  /** When every participant had a session (the start, if the runner did not say). */
  readonly ready: number;
  readonly end: number;
  readonly endEvent?: ChaosEvent;
  readonly faultsStart: number;
  readonly faultsEnd: number;
  /** The largest session timeout the server granted a participant (ms). */
  readonly sessionTimeoutMs: number;
  /** How long a change may take to be seen everywhere: session timeout + 2 s. */
  readonly windowMs: number;
  readonly processes: readonly ProcessFacts[];
  readonly participantFaults: readonly ParticipantFault[];
  /** While the ensemble had a leader (the whole run when the runner could not tell). */
  readonly ensembleLed: readonly Interval[];
  /** When a new ensemble leader was seen: every session's expiry clock restarts then. */
  readonly leaderElections: readonly number[];
  readonly final: { counter?: number; data?: number };
}

const LIVE_STATES = new Set(['connected', 'reconnected']);

/** Works out a run's facts from its events (any order). */
export function runFacts(unsorted: readonly ChaosEvent[]): RunFacts {
  const events = sortByTime(unsorted);
  const runner = events.filter((e) => e.p === 'runner');
  const run = eventsOf(runner, 'run')[0];
  const endEvent = eventsOf(runner, 'end')[0];
  const start = run?.mono ?? events[0]?.mono ?? 0;
  const end = endEvent?.mono ?? events[events.length - 1]?.mono ?? start;
  const ready = eventsOf(runner, 'ready')[0]?.mono ?? start;
  const faultsStart = eventsOf(runner, 'faults-start')[0]?.mono ?? ready;
  const faultsEnd = eventsOf(runner, 'faults-end')[0]?.mono ?? end;
  const granted = eventsOf(events, 'state').map((s) => s.timeoutMs).filter((t) => t > 0);
  const sessionTimeoutMs = granted.length ? Math.max(...granted) : (run?.sessionTimeoutMs ?? 0);

  const participantFaults = faultWindows(eventsOf(runner, 'fault'), end);
  const exits = new Map(eventsOf(runner, 'exited').map((e) => [processKey({ p: e.id, inc: e.incarnation }), e]));
  const spawns = new Map(eventsOf(runner, 'spawn').map((e) => [processKey({ p: e.id, inc: e.incarnation }), e]));

  const own = new Map<string, ChaosEvent[]>();
  for (const e of events) {
    if (e.p === 'runner') continue;
    const key = processKey(e);
    own.set(key, [...(own.get(key) ?? []), e]);
  }
  for (const key of spawns.keys()) if (!own.has(key)) own.set(key, []);

  const processes = [...own.entries()].map(([key, mine]): ProcessFacts => {
    const spawn = spawns.get(key);
    const first = mine[0];
    const id = spawn?.id ?? first!.p;
    const inc = spawn?.incarnation ?? first!.inc;
    const role = spawn?.role ?? eventsOf(mine, 'start')[0]?.role ?? roleOf(id, run?.participants);
    const exited = exits.get(key);
    const stop = eventsOf(mine, 'stop')[0];
    const beliefEnd = Math.min(stop?.mono ?? end, exited?.mono ?? end, end);
    const states = eventsOf(mine, 'state').map((s) => ({ at: s.mono, state: s.state }));
    const ownFaults = participantFaults.filter((f) => f.id === id);
    const live = subtract(
      whileState(states, beliefEnd, (s) => LIVE_STATES.has(s)),
      ownFaults.map((f) => ({ from: f.from, to: f.to })),
    );
    return {
      key,
      id,
      inc,
      role,
      events: mine,
      startedAt: spawn?.mono ?? first?.mono ?? start,
      beliefEnd,
      aliveAtEnd: !exited || exited.mono > end,
      ...(exited ? { exited } : {}),
      live,
    };
  });

  const leaderEvents = eventsOf(runner, 'ensemble-leader');
  const ensembleLed = leaderEvents.length
    ? normalize([
        { from: start, to: leaderEvents[0]!.mono },
        ...whileState(
          leaderEvents.map((e) => ({ at: e.mono, state: e.leader })),
          end,
          (leader) => leader !== null,
        ),
      ])
    : [{ from: start, to: end }];
  const leaderElections = leaderEvents.filter((e, i) => e.leader !== null && i > 0).map((e) => e.mono);

  const finals = eventsOf(runner, 'final');
  const final: { counter?: number; data?: number } = {};
  for (const f of finals) {
    if (f.counter !== undefined) final.counter = f.counter;
    if (f.data !== undefined) final.data = f.data;
  }

  return {
    events,
    ...(run ? { run } : {}),
    participants: run?.participants ?? [],
    start,
    ready,
    end,
    ...(endEvent ? { endEvent } : {}),
    faultsStart,
    faultsEnd,
    sessionTimeoutMs,
    windowMs: sessionTimeoutMs + 2_000,
    processes,
    participantFaults,
    ensembleLed,
    leaderElections,
    final,
  };
}

/** The processes of a role. */
export function processesOf(facts: RunFacts, role: Role): ProcessFacts[] {
  return facts.processes.filter((p) => p.role === role);
}

/** The last event named `ev` of a process at or before `at`. */
export function lastBefore<E extends ChaosEvent['ev']>(events: readonly ChaosEvent[], ev: E, at: number): EventOf<E> | undefined {
  let found: EventOf<E> | undefined;
  for (const e of events) {
    if (e.mono > at) break;
    if (e.ev === ev) found = e as EventOf<E>;
  }
  return found;
}

/**
 * Whether an overlap of `holder`'s belief (ending at `end`) with someone else's (starting at
 * `laterStart`) comes from its session being ended from outside (`expireSession`): the server
 * drops the session's nodes at once, and the client can only hear of it afterwards, so the next
 * contender may go ahead a moment before the holder is told. Excused when the later one started
 * after the expiry began, and the holder let go as soon as it heard (its next connection state
 * that is not live, within {@link TOLD_SLACK_MS}).
 */
export function endedFromOutside(facts: RunFacts, holder: ProcessFacts, laterStart: number, end: number): boolean {
  return facts.participantFaults.some((f) => {
    if (f.id !== holder.id || f.start.kind !== 'expire-session' || f.from > laterStart) return false;
    const told = eventsOf(holder.events, 'state').find((s) => s.mono >= f.from && !LIVE_STATES.has(s.state));
    return told !== undefined && end <= told.mono + TOLD_SLACK_MS;
  });
}

/** One process's belief that lasts a while: a critical section, a term as leader. */
export interface Belief {
  readonly holder: ProcessFacts;
  readonly from: number;
  readonly to: number;
}

/**
 * Every pair of beliefs of two processes that overlap (`a` began first), and whether the overlap
 * is excused by {@link endedFromOutside}. `beliefs` in order of start.
 */
export function overlapping<B extends Belief>(facts: RunFacts, beliefs: readonly B[]): { a: B; b: B; excused: boolean }[] {
  const pairs: { a: B; b: B; excused: boolean }[] = [];
  const active: B[] = [];
  for (const b of beliefs) {
    for (let i = active.length - 1; i >= 0; i--) if (active[i]!.to <= b.from) active.splice(i, 1);
    for (const a of active) {
      if (a.holder.key !== b.holder.key) pairs.push({ a, b, excused: endedFromOutside(facts, a.holder, b.from, a.to) });
    }
    active.push(b);
  }
  return pairs;
}

/** How soon after being told its session is gone a holder must have let go. */
export const TOLD_SLACK_MS = 100;

/** A moment as seconds into the run. */
export function at(facts: RunFacts, mono: number): string {
  return `+${((mono - facts.start) / 1000).toFixed(3)}s`;
}

/** A duration in seconds, for messages. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function roleOf(id: string, participants: readonly ParticipantSpec[] | undefined): Role {
  const spec = participants?.find((p) => p.id === id);
  if (spec) return spec.role;
  const prefix = id.replace(/-\d+$/, '') as Role;
  return prefix;
}

/** Pairs each participant fault's start with its end (or the run's end). */
function faultWindows(faults: readonly EventOf<'fault'>[], end: number): ParticipantFault[] {
  const windows: ParticipantFault[] = [];
  for (const [i, f] of faults.entries()) {
    if (f.phase !== 'start' || f.kind === 'kill-member' || f.kind === 'restart-registrant') continue;
    const close = faults.slice(i + 1).find((g) => g.phase === 'end' && g.kind === f.kind && g.target === f.target);
    windows.push({ id: f.target, from: f.mono, to: close?.mono ?? end, start: f });
  }
  return windows;
}
