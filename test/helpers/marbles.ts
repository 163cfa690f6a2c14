/**
 * rxjs-marbles wired into vitest. rxjs-marbles ships adapters for jest, mocha and others but not
 * vitest; its core only needs to be told how to assert.
 */
import { configure, type Context } from 'rxjs-marbles';
import { _cases, type NamedCase, type UnnamedCase } from 'rxjs-marbles/cases.js';
import { describe, expect, test } from 'vitest';

export const { marbles } = configure({
  assertDeepEqual: (actual: unknown, expected: unknown) => expect(actual).toStrictEqual(expected),
  frameworkMatcher: true,
});

/** A table of marble tests, one vitest test per case, in a describe block. */
export function cases<T extends UnnamedCase>(
  name: string,
  func: (m: Context, c: T & NamedCase) => void,
  table: Record<string, T>,
): void {
  describe(name, () => {
    _cases((c) => {
      const run = c.only ? test.only : c.skip ? test.skip : test;
      run(c.name, marbles((m: Context) => func(m, c as T & NamedCase)));
    }, table);
  });
}

export type { Context };
