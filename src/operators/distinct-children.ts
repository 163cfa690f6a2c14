import { distinctUntilChanged, type MonoTypeOperatorFunction } from 'rxjs';

/** Whether two child lists hold the same names in the same order (`null` equals only `null`). */
export function sameChildren(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Passes a child list only when its content changed. */
export function distinctChildren(): MonoTypeOperatorFunction<readonly string[] | null> {
  return distinctUntilChanged(sameChildren);
}
