/**
 * Sets of moments as sorted, disjoint, half-open intervals `[from, to)` of monotonic ms: "while
 * this locker held the lock", "while every candidate was connected". The checker combines them
 * (union, intersection, complement) instead of replaying events by hand for every question.
 */
export interface Interval {
  readonly from: number;
  readonly to: number;
}

export type Intervals = readonly Interval[];

/** Sorted, merged, without empty intervals. */
export function normalize(intervals: Intervals): Interval[] {
  const sorted = intervals.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && i.from <= last.to) merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, i.to) };
    else merged.push(i);
  }
  return merged;
}

export function union(...sets: Intervals[]): Interval[] {
  return normalize(sets.flat());
}

/** The moments in every one of `sets` (with no sets: none). */
export function intersect(...sets: Intervals[]): Interval[] {
  if (sets.length === 0) return [];
  return sets.slice(1).reduce<Interval[]>((acc, set) => {
    const b = normalize(set);
    const out: Interval[] = [];
    let j = 0;
    for (const a of acc) {
      while (j < b.length && b[j]!.to <= a.from) j++;
      for (let k = j; k < b.length && b[k]!.from < a.to; k++) {
        const from = Math.max(a.from, b[k]!.from);
        const to = Math.min(a.to, b[k]!.to);
        if (to > from) out.push({ from, to });
      }
    }
    return out;
  }, normalize(sets[0]!));
}

/** The moments of `[from, to)` not in `set`. */
export function complement(set: Intervals, from: number, to: number): Interval[] {
  const out: Interval[] = [];
  let at = from;
  for (const i of normalize(set)) {
    if (i.to <= at) continue;
    if (i.from >= to) break;
    if (i.from > at) out.push({ from: at, to: i.from });
    at = Math.max(at, i.to);
  }
  if (at < to) out.push({ from: at, to });
  return out;
}

/** The moments of `a` not in `b`. */
export function subtract(a: Intervals, b: Intervals): Interval[] {
  const na = normalize(a);
  if (na.length === 0) return [];
  return intersect(na, complement(b, na[0]!.from, na[na.length - 1]!.to));
}

/** Whether `at` lies in `set`. */
export function contains(set: Intervals, at: number): boolean {
  return set.some((i) => i.from <= at && at < i.to);
}

/** Total length. */
export function length(set: Intervals): number {
  return normalize(set).reduce((sum, i) => sum + i.to - i.from, 0);
}

/**
 * The intervals during which a piecewise-constant state satisfies `holds`: `changes` are
 * `(time, state)` in time order, each state lasting until the next change or `end`.
 */
export function whileState<S>(changes: readonly { at: number; state: S }[], end: number, holds: (state: S) => boolean): Interval[] {
  const out: Interval[] = [];
  changes.forEach((c, i) => {
    const to = i + 1 < changes.length ? changes[i + 1]!.at : end;
    if (holds(c.state)) out.push({ from: c.at, to: Math.min(to, end) });
  });
  return normalize(out);
}
