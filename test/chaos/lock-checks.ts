/**
 * Locks: no two critical sections overlap (unless the earlier holder had been told `lost`), no
 * counter update written under the lock is lost, fencing tokens only grow; and, for liveness, the
 * lock is never left free for long while lockers wait on live sessions.
 */
import { eventsOf, type ChaosEvent, type EventOf } from './events.js';
import { complement, intersect, union, type Interval } from './intervals.js';
import { at, overlapping, processesOf, seconds, type Belief, type ProcessFacts, type RunFacts } from './run-facts.js';
import { violation, type Violation } from './violation.js';

/** One critical section: from `enter` until `exit`, `lost`, or the holder's beliefs end. */
export interface Section extends Belief {
  readonly token: string;
  readonly enter: EventOf<'enter'>;
  /** The line that ended it (`exit` or `lost`), if any. */
  readonly ended?: ChaosEvent;
  readonly done: boolean;
}

export interface LockCheckOptions {
  /** A lock free this long while lockers wait on live sessions is a stall. */
  readonly stallMs: number;
}

/** Every critical section of every locker, in order of entry. */
export function lockSections(facts: RunFacts): Section[] {
  const sections: Section[] = [];
  for (const holder of processesOf(facts, 'locker')) {
    let open: EventOf<'enter'> | undefined;
    const close = (end: number, ended: ChaosEvent | undefined, done: boolean) => {
      if (!open) return;
      const to = Math.min(end, holder.beliefEnd);
      sections.push({ holder, from: open.mono, to, token: open.token, enter: open, done, ...(ended ? { ended } : {}) });
      open = undefined;
    };
    for (const e of holder.events) {
      if (e.mono > holder.beliefEnd) break;
      if (e.ev === 'enter') {
        close(e.mono, e, false);
        open = e;
      } else if (e.ev === 'lost') close(e.mono, e, false);
      else if (e.ev === 'exit') close(e.mono, e, e.reason === 'done');
    }
    close(holder.beliefEnd, undefined, false);
  }
  return sections.sort((a, b) => a.from - b.from);
}

/** Every lock violation of the run. */
export function checkLocks(facts: RunFacts, options: LockCheckOptions): Violation[] {
  const sections = lockSections(facts);
  return [...overlaps(facts, sections), ...fencing(facts, sections), ...counter(facts), ...stalls(facts, sections, options)];
}

function overlaps(facts: RunFacts, sections: readonly Section[]): Violation[] {
  return overlapping(facts, sections)
    .filter((o) => !o.excused)
    .map(({ a, b }) =>
      violation(
        'safety',
        'lock-overlap',
        `${b.holder.key} entered the critical section (token ${b.token}) at ${at(facts, b.enter.mono)} while ` +
          `${a.holder.key} (token ${a.token}, entered at ${at(facts, a.enter.mono)}) held it until ${at(facts, a.to)} ` +
          'without having been told lost',
        [a.enter, b.enter, a.ended],
      ),
    );
}

function fencing(facts: RunFacts, sections: readonly Section[]): Violation[] {
  const found: Violation[] = [];
  let highest: Section | undefined;
  for (const s of sections) {
    if (highest) {
      const token = BigInt(s.token);
      const top = BigInt(highest.token);
      if (token < top) {
        found.push(
          violation(
            'safety',
            'fencing-token',
            `${s.holder.key} acquired with token ${s.token} at ${at(facts, s.enter.mono)}, ` +
              `lower than ${highest.holder.key}'s earlier ${highest.token}`,
            [highest.enter, s.enter],
          ),
        );
      } else if (token === top && s.holder.key !== highest.holder.key) {
        found.push(
          violation(
            'safety',
            'fencing-token',
            `${s.holder.key} and ${highest.holder.key} both held the lock with token ${s.token}`,
            [highest.enter, s.enter],
          ),
        );
      }
    }
    if (!highest || BigInt(s.token) >= BigInt(highest.token)) highest = s;
  }
  for (const read of eventsOf(facts.events, 'read')) {
    if (read.storedToken !== null && BigInt(read.storedToken) > BigInt(read.token)) {
      found.push(
        violation(
          'safety',
          'fencing-token',
          `${read.p}#${read.inc} holding token ${read.token} read a counter already written under the newer token ${read.storedToken}`,
          [read],
        ),
      );
    }
  }
  const chain = eventsOf(facts.events, 'write')
    .filter((w) => w.outcome === 'ok')
    .sort((a, b) => a.to - b.to);
  for (let i = 1; i < chain.length; i++) {
    const [a, b] = [chain[i - 1]!, chain[i]!];
    if (BigInt(b.token) < BigInt(a.token)) {
      found.push(
        violation(
          'safety',
          'fencing-token',
          `the counter went from ${a.to} (token ${a.token}) to ${b.to} under the older token ${b.token}`,
          [a, b],
        ),
      );
    }
  }
  return found;
}

function counter(facts: RunFacts): Violation[] {
  const found: Violation[] = [];
  const writes = eventsOf(facts.events, 'write');
  const ok = writes.filter((w) => w.outcome === 'ok');
  const unknown = writes.filter((w) => w.outcome === 'unknown');
  const byValue = new Map<number, EventOf<'write'>>();
  for (const w of ok) {
    const earlier = byValue.get(w.to);
    if (earlier) {
      found.push(
        violation(
          'safety',
          'lost-update',
          `two acknowledged increments both wrote ${w.to} (from ${earlier.from} and ${w.from}): one update is lost`,
          [earlier, w],
        ),
      );
    } else byValue.set(w.to, w);
  }
  for (const w of writes) {
    if (w.outcome === 'conflict' && w.held) {
      found.push(
        violation(
          'safety',
          'lost-update',
          `${w.p}#${w.inc} held the lock (token ${w.token}) but the counter changed between its read of ${w.from} and its write`,
          [w],
        ),
      );
    }
  }
  const final = facts.final.counter;
  if (final !== undefined) {
    const finalLine = eventsOf(facts.events, 'final').find((f) => f.counter !== undefined);
    if (final < byValue.size) {
      found.push(
        violation(
          'safety',
          'lost-update',
          `the counter ends at ${final} but ${byValue.size} increments were acknowledged: ${byValue.size - final} lost`,
          [finalLine],
        ),
      );
    } else if (final > ok.length + unknown.length) {
      found.push(
        violation(
          'safety',
          'lost-update',
          `the counter ends at ${final}, more than the ${ok.length} acknowledged and ${unknown.length} unanswered increments`,
          [finalLine],
        ),
      );
    }
  }
  return found;
}

/**
 * The lock free (nobody in a critical section) while someone queues for it, every locker's
 * session live and the ensemble led, for longer than `stallMs`: nothing stands in the way but a
 * node nobody uses (as a holder's node from a session it has already given up on).
 */
function stalls(facts: RunFacts, sections: readonly Section[], options: LockCheckOptions): Violation[] {
  const lockers = processesOf(facts, 'locker');
  if (lockers.length === 0) return [];
  const held = union(sections);
  const queued = union(...lockers.map(queuedIntervals));
  const free = complement(held, facts.start, facts.end);
  const allLive = intersect(...lockers.map((l) => l.live));
  return intersect(free, queued, allLive, facts.ensembleLed)
    .filter((i) => i.to - i.from > options.stallMs)
    .map((i) => {
      const before = facts.events.filter((e) => e.mono <= i.from && (e.ev === 'exit' || e.ev === 'released')).pop();
      const after = eventsOf(facts.events, 'enter').find((e) => e.mono >= i.to);
      const back = newSessionBefore(lockers, i, facts.windowMs);
      const hint = back
        ? `; ${back.p}#${back.inc} had come back on a new session at ${at(facts, back.mono)}: ` +
          'an old node of its earlier session may still be in the queue'
        : '';
      return violation(
        'liveness',
        'lock-stall',
        `the lock was free for ${seconds(i.to - i.from)} from ${at(facts, i.from)} while lockers queued, ` +
          `every locker's session was live and the ensemble had a leader${hint}`,
        [before, back, after],
      );
    });
}

/** While a locker is queued: from `want` until `released` (or its beliefs end). */
function queuedIntervals(locker: ProcessFacts): Interval[] {
  const out: Interval[] = [];
  let since: number | undefined;
  for (const e of locker.events) {
    if (e.ev === 'want') since ??= e.mono;
    else if (e.ev === 'released' && since !== undefined) {
      out.push({ from: since, to: e.mono });
      since = undefined;
    }
  }
  if (since !== undefined) out.push({ from: since, to: locker.beliefEnd });
  return out;
}

/**
 * The latest new session (a `connected` after a `lost`) of a locker, from `windowMs` before the
 * stall began until it ended.
 */
function newSessionBefore(lockers: readonly ProcessFacts[], stall: Interval, windowMs: number): EventOf<'state'> | undefined {
  return lockers
    .flatMap((l) => {
      const states = eventsOf(l.events, 'state');
      return states.filter((s, i) => s.state === 'connected' && states.slice(0, i).some((b) => b.state === 'lost'));
    })
    .filter((s) => s.mono >= stall.from - windowMs && s.mono <= stall.to)
    .sort((a, b) => a.mono - b.mono)
    .pop();
}
