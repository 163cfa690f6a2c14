/**
 * The fault schedule of a run, planned from a seed before the run starts. Two tracks run side by
 * side:
 * - members: one member at a time is SIGKILLed (the ensemble's leader about a third of the time),
 *   stays down for a moment and is restarted; the next kill comes 3-5 s later;
 * - participants: every 1.5-4 s one participant that is not already hit gets a fault of its own:
 *   its connection blackholed for 1.2-2 session timeouts (so the server expires its session), cut
 *   for a moment (it reconnects to the same session), its session expired on the server, or
 *   (registrants) its process killed and started again with the
 *   same id, mostly at once, sometimes only after its old session is gone. Blackholes, cuts and
 *   expiries hit the leading candidate about a quarter of the time (who leads is known only at run time),
 *   and lockers twice as often as the others: those are the faults that test a recipe.
 * Nothing is planned to last past `faultsEnd`, so that the run ends with a quiet stretch in which
 * everything must converge.
 */
import type { ParticipantSpec } from './events.js';
import { seededRandom } from './seeded-random.js';

export interface ScheduleOptions {
  readonly seed: number;
  /** The whole run, from the moment every participant is up (ms). */
  readonly durationMs: number;
  /** No fault in the first `warmupMs`. */
  readonly warmupMs: number;
  /** No fault in the last `quietMs`. */
  readonly quietMs: number;
  /** The participants' session timeout (ms). */
  readonly sessionTimeoutMs: number;
  readonly participants: readonly ParticipantSpec[];
  /** Whether members may be killed (not on an ensemble of the user's own). */
  readonly killMembers: boolean;
}

/** A participant fault's target, planned as "whichever candidate leads then". */
export const LEADING_CANDIDATE = 'leading-candidate';

export type PlannedFault =
  | {
      readonly kind: 'kill-member';
      readonly at: number;
      readonly target: 'leader' | 'follower';
      /** Which follower, as a fraction (the members are only known at run time). */
      readonly pick: number;
      readonly downMs: number;
    }
  /** `participant` is an id, or {@link LEADING_CANDIDATE}. */
  | { readonly kind: 'blackhole'; readonly at: number; readonly participant: string; readonly holdMs: number }
  | { readonly kind: 'cut-connection'; readonly at: number; readonly participant: string; readonly holdMs: number }
  | { readonly kind: 'expire-session'; readonly at: number; readonly participant: string }
  | { readonly kind: 'restart-registrant'; readonly at: number; readonly participant: string; readonly pauseMs: number };

export interface FaultSchedule {
  readonly faultsStart: number;
  readonly faultsEnd: number;
  /** Member kills, in order; each is over (restarted) before the next. */
  readonly members: readonly PlannedFault[];
  /** Participant faults, in order of start; they may overlap, never on the same participant. */
  readonly participants: readonly PlannedFault[];
}

/** What a member restart may take on a loaded machine (a JVM starting and syncing). */
export const RESTART_ALLOWANCE_MS = 6_000;
/** What a participant process takes to start (node, tsx, a session). */
export const SPAWN_ALLOWANCE_MS = 3_000;
/** What an expiry takes to be done. */
const EXPIRE_ALLOWANCE_MS = 1_500;
/** At most this many participants are hit at once. */
const MAX_CONCURRENT = 2;

export function faultSchedule(options: ScheduleOptions): FaultSchedule {
  const random = seededRandom(options.seed);
  const faultsStart = options.warmupMs;
  const faultsEnd = Math.max(faultsStart, options.durationMs - options.quietMs);
  const members: PlannedFault[] = [];
  if (options.killMembers) {
    let at = faultsStart + random.between(0, 1_000);
    for (;;) {
      const downMs = random.between(500, 2_500);
      if (at + downMs + RESTART_ALLOWANCE_MS > faultsEnd) break;
      members.push({ kind: 'kill-member', at, target: random.next() < 1 / 3 ? 'leader' : 'follower', pick: random.next(), downMs });
      at += downMs + random.between(3_000, 5_000);
    }
  }

  const participants: PlannedFault[] = [];
  const busyUntil = new Map<string, number>();
  const registrants = options.participants.filter((p) => p.role === 'registrant').map((p) => p.id);
  const candidates = options.participants.filter((p) => p.role === 'candidate').map((p) => p.id);
  const weighted = options.participants.flatMap((p) => (p.role === 'locker' ? [p.id, p.id] : [p.id]));
  const timeout = options.sessionTimeoutMs;
  let at = faultsStart + random.between(0, 2_000);
  while (at < faultsEnd) {
    const active = [...busyUntil.values()].filter((until) => until > at).sort((a, b) => a - b);
    if (active.length >= MAX_CONCURRENT) {
      at = active[0]!;
      continue;
    }
    const roll = random.next();
    const kind =
      roll < 0.25 && registrants.length
        ? 'restart-registrant'
        : roll < 0.4
          ? 'expire-session'
          : roll < 0.65
            ? 'cut-connection'
            : 'blackhole';
    const free = (id: string) => (busyUntil.get(id) ?? 0) <= at;
    let participant: string | undefined;
    if (kind === 'restart-registrant') participant = random.pick(registrants.filter(free));
    else if (random.next() < 0.25 && candidates.length && candidates.every(free)) participant = LEADING_CANDIDATE;
    else participant = random.pick(weighted.filter(free));
    let fault: PlannedFault | undefined;
    let until = at;
    if (participant && kind === 'blackhole') {
      const holdMs = timeout * random.between(1.2, 2);
      fault = { kind, at, participant, holdMs };
      until = at + holdMs;
    } else if (participant && kind === 'cut-connection') {
      // Short of a session timeout: the client reconnects to the same session.
      const holdMs = random.between(300, 1_500);
      fault = { kind, at, participant, holdMs };
      until = at + holdMs;
    } else if (participant && kind === 'expire-session') {
      fault = { kind, at, participant };
      until = at + EXPIRE_ALLOWANCE_MS;
    } else if (participant && kind === 'restart-registrant') {
      // Mostly at once (the old node is still there: the new one must wait for it or replace it);
      // sometimes only after the old session is surely gone (discover must drop the id meanwhile).
      const pauseMs = random.next() < 0.7 ? random.between(0, 300) : timeout + 2_000 + random.between(1_000, 3_000);
      fault = { kind, at, participant, pauseMs };
      until = at + pauseMs + SPAWN_ALLOWANCE_MS;
    }
    if (fault && until <= faultsEnd) {
      participants.push(fault);
      // A moment between two faults of one participant, to see it recover.
      for (const id of participant === LEADING_CANDIDATE ? candidates : [participant!]) busyUntil.set(id, until + 1_000);
    }
    at += random.between(1_500, 4_000);
  }
  return { faultsStart, faultsEnd, members, participants };
}
