import { lastValueFrom, of, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { workResult } from '../../../src/recipes/work-result.js';
import { marbles } from '../../helpers/marbles.js';

const values = <T>(result: Parameters<typeof workResult<T>>[0]) => lastValueFrom(workResult(result).pipe(toArray()));

describe('workResult', () => {
  it('emits a plain value once, as it is: a string is not split, an array not flattened', async () => {
    expect(await values('done')).toEqual(['done']);
    expect(await values([1, 2, 3])).toEqual([[1, 2, 3]]);
    expect(await values(new Map([['a', 1]]))).toEqual([new Map([['a', 1]])]);
    expect(await values(42)).toEqual([42]);
    expect(await values(null)).toEqual([null]);
  });

  it('emits undefined once for work that returns nothing, sync or async', async () => {
    expect(await values(undefined)).toEqual([undefined]);
    expect(await values(Promise.resolve())).toEqual([undefined]);
  });

  it('follows promises, async iterables and interop observables', async () => {
    expect(await values(Promise.resolve('done'))).toEqual(['done']);
    async function* twice() {
      yield 1;
      yield 2;
    }
    expect(await values(twice())).toEqual([1, 2]);
    const interop = { [Symbol.observable ?? '@@observable']: () => of('a', 'b') };
    expect(await values(interop as never)).toEqual(['a', 'b']);
    await expect(values(Promise.reject(new Error('work failed')))).rejects.toThrow('work failed');
  });

  it(
    'passes an Observable through as it is (values, timing, teardown)',
    marbles((m) => {
      const source = m.cold('-a-b-|');
      m.expect(workResult(source), '---!').toBeObservable('-a-');
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );
});
