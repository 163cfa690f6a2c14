import { describe, expect, it } from 'vitest';
import { checkData } from '../../chaos/data-checks.js';
import { runFacts } from '../../chaos/run-facts.js';
import { named, SyntheticRun } from './synthetic-log.js';

const check = (run: SyntheticRun) => checkData(runFacts(run.events));
const checks = (run: SyntheticRun) => check(run).map((v) => `${v.kind}:${v.check}`);
const seen = (run: SyntheticRun, s: number, value: number | null, p = 'watcher-1') => run.line(s, p, { ev: 'value', value });

function climbing(): SyntheticRun {
  const run = new SyntheticRun(named('watcher', 2));
  for (const [s, v] of [[1, 1], [2, 2], [3, 5], [4, 6]] as const) seen(seen(run, s, v), s + 0.1, v, 'watcher-2');
  return run.runner(58, { ev: 'final', data: 6 });
}

describe('data$ checks', () => {
  it('find nothing in values that only climb and end on the final value', () => {
    expect(check(climbing())).toEqual([]);
  });

  it('find a value going backwards', () => {
    const found = check(seen(climbing(), 5, 4));
    expect(found.map((v) => `${v.kind}:${v.check}`)).toContain('safety:data-backwards');
    expect(found[0]!.message).toBe('watcher-1#1 saw 4 at +5.000s after 6');
  });

  it('count a missing node after a value as going backwards', () => {
    expect(checks(seen(seen(climbing(), 5, null), 6, 6))).toEqual(['safety:data-backwards']);
  });

  it('find a subscriber that does not end on the final value', () => {
    const found = check(climbing().runner(59, { ev: 'final', data: 7 }));
    expect(found.map((v) => v.check)).toEqual(['data-final', 'data-final']);
    expect(found[0]!.message).toBe('watcher-1#1 ends on 6, but the node holds 7');
  });
});
