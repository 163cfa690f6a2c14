import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { Stat, ZNode } from '../model/stat.js';

/**
 * Whether `next` is a newer state of a node than `previous`: another incarnation created later
 * (higher czxid), or the same incarnation with a later data change (higher mzxid), or a change
 * between existing and not existing. Equal and older states are not newer.
 */
export function isNewerStat(previous: Stat | null, next: Stat | null): boolean {
  if (previous === null || next === null) return previous !== next;
  if (next.czxid !== previous.czxid) return next.czxid > previous.czxid;
  return next.mzxid > previous.mzxid;
}

function latestBy<T>(statOf: (value: T) => Stat | null): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let seen = false;
      let last: Stat | null = null;
      return source.subscribe({
        next(value) {
          const stat = statOf(value);
          if (seen && !isNewerStat(last, stat)) return;
          seen = true;
          last = stat;
          subscriber.next(value);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * Passes a node's states only when they are real changes, and never an older state after a newer
 * one: data is compared by czxid and mzxid, not by version, because deleting and re-creating a
 * node can leave it at the same version with new content.
 *
 * ## Example
 * ```ts
 * import { merge } from 'rxjs';
 * import { latestNode } from 'rxzk';
 * // Nodes from two sources (e.g. a stream and one-shot reads), newest only, in order:
 * merge(zk.data$('/config'), refreshes$).pipe(latestNode()).subscribe((node) => console.log(node?.stat.mzxid));
 * ```
 */
export function latestNode(): MonoTypeOperatorFunction<ZNode | null> {
  return latestBy((node: ZNode | null) => node?.stat ?? null);
}

/** Like {@link latestNode}, for `exists$`'s stats. */
export function latestStat(): MonoTypeOperatorFunction<Stat | null> {
  return latestBy((stat: Stat | null) => stat);
}
