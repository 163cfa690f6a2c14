import { defer, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConnectionLossError, NoAuthError, retryBackoff } from '../../../src/index.js';
import { backoffDelay } from '../../../src/advanced.js';
import { marbles } from '../../helpers/marbles.js';

const lossError = new ConnectionLossError('get /x: connection lost before the reply came; it may or may not have taken effect', { code: -4 });
const authError = new NoAuthError('get /x: not authorized', { code: -102 });

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 50, 2000))).toEqual([50, 100, 200, 400, 800, 1600, 2000]);
  });
});

describe('retryBackoff', () => {
  const attempts = (sources: Observable<string>[]) => {
    let i = 0;
    return defer(() => sources[Math.min(i++, sources.length - 1)]!);
  };

  it(
    'resubscribes after transient errors, waiting longer each time',
    marbles((m) => {
      const sources = [m.cold<string>('#', {}, lossError), m.cold<string>('#', {}, lossError), m.cold('a|')];
      const result = attempts(sources).pipe(retryBackoff({ initialDelayMs: 5, maxDelayMs: 20, scheduler: m.scheduler }));
      m.expect(result).toBeObservable('15ms a|');
      m.expect(sources[0]!).toHaveSubscriptions('(^!)');
      m.expect(sources[1]!).toHaveSubscriptions('5ms (^!)');
      m.expect(sources[2]!).toHaveSubscriptions('15ms ^!');
    }),
  );

  it(
    're-throws a final error at once',
    marbles((m) => {
      const source = m.cold<string>('-#', {}, authError);
      m.expect(source.pipe(retryBackoff({ scheduler: m.scheduler }))).toBeObservable('-#', {}, authError);
      m.expect(source).toHaveSubscriptions('^!'); // tried once
    }),
  );

  it(
    'gives up after maxRetries in a row',
    marbles((m) => {
      const source = m.cold<string>('#', {}, lossError);
      const result = source.pipe(retryBackoff({ initialDelayMs: 5, maxRetries: 2, scheduler: m.scheduler }));
      m.expect(result).toBeObservable('15ms #', {}, lossError);
      m.expect(source).toHaveSubscriptions(['(^!)', '5ms (^!)', '15ms (^!)']);
    }),
  );

  it(
    'a value resets the count',
    marbles((m) => {
      const sources = [m.cold<string>('a#', { a: 'a' }, lossError), m.cold<string>('b#', { b: 'b' }, lossError), m.cold('c|')];
      const result = attempts(sources).pipe(retryBackoff({ initialDelayMs: 5, scheduler: m.scheduler }));
      // Each failure follows a value, so each wait is the first one again (5 ms).
      m.expect(result).toBeObservable('a 5ms b 5ms c|');
      m.expect(sources[0]!).toHaveSubscriptions('^!');
      m.expect(sources[1]!).toHaveSubscriptions('6ms ^!');
      m.expect(sources[2]!).toHaveSubscriptions('12ms ^!');
    }),
  );
});
