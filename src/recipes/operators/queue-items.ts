import { distinctUntilChanged, map, type OperatorFunction } from 'rxjs';
import { parseProtectedName } from '../protected-names.js';

/** An item of a distributed queue, as the child lists tell it (no data). */
export interface QueueEntry {
  /** The item's node name under `<queue>/items`. */
  readonly name: string;
  /** Lower comes first. */
  readonly priority: number;
  /** The sequence number ZooKeeper gave it: the order of offers. */
  readonly sequence: number;
  /** Whether a consumer holds a claim on it. */
  readonly claimed: boolean;
}

/**
 * The queue order: by priority (lower first), then by sequence number (the order of offers).
 *
 * Item names are protected sequential names whose id field is the priority, so the order is read
 * from the names alone. Children that are not items (wrong form, or a priority that is not a whole
 * number) are not part of the queue and are left out.
 *
 * @param items The children of `<queue>/items`.
 * @param claims The children of `<queue>/claims`: a claim is named after the item it claims.
 */
export function queueEntries(items: readonly string[], claims: readonly string[]): QueueEntry[] {
  const claimed = new Set(claims);
  const entries: QueueEntry[] = [];
  for (const name of items) {
    const parsed = parseProtectedName(name);
    if (!parsed || !/^-?\d+$/.test(parsed.id)) continue;
    const priority = Number(parsed.id);
    if (!Number.isSafeInteger(priority)) continue;
    entries.push({ name, priority, sequence: parsed.sequence, claimed: claimed.has(name) });
  }
  return entries.sort((a, b) => a.priority - b.priority || a.sequence - b.sequence);
}

/** Whether two queue views are the same (same items, same order, same claims). */
export function sameEntries(a: readonly QueueEntry[], b: readonly QueueEntry[]): boolean {
  return a.length === b.length && a.every((x, i) => x.name === b[i]!.name && x.claimed === b[i]!.claimed);
}

/**
 * {@link queueEntries} as an operator over pairs of child lists (`[items, claims]`, e.g. from
 * `combineLatest` of two `children$` streams); a missing node (`null`) counts as empty. Emits only
 * when the view changes.
 *
 * ## Example
 * ```ts
 * import { combineLatest } from 'rxjs';
 * import { queueItems } from 'rxzk';
 * combineLatest([zk.children$('/jobs/items'), zk.children$('/jobs/claims')])
 *   .pipe(queueItems())
 *   .subscribe((entries) => console.log(entries.filter((e) => !e.claimed).length, 'waiting'));
 * // Logs: 3 waiting
 * ```
 */
export function queueItems(): OperatorFunction<
  readonly [readonly string[] | null, readonly string[] | null],
  QueueEntry[]
> {
  return (lists) =>
    lists.pipe(
      map(([items, claims]) => queueEntries(items ?? [], claims ?? [])),
      distinctUntilChanged<QueueEntry[]>(sameEntries),
    );
}
