import { describe, expect, it } from 'vitest';
import { counter, DataDecodeError } from '../../../src/index.js';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

describe('counter', () => {
  it('adds exactly once per call under contention from several clients', async () => {
    const observer = await testClient();
    const root = await testRoot(observer, 'counter-contention');
    const path = `${root}/hits`;
    const watched = record(counter(observer, path).value$);
    const clients = await Promise.all([testClient(), testClient(), testClient()]);
    const results = await Promise.all(
      clients.map(async (zk) => {
        const c = counter(zk, path);
        const seen: number[] = [];
        for (let i = 0; i < 8; i++) seen.push(await c.add(1));
        return seen;
      }),
    );
    // Every add saw its own, distinct new value.
    expect(results.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(await counter(observer, path).get()).toBe(24);
    await eventually(() => watched.values.at(-1) === 24, 'value$ to reach 24');
    expect(watched.values[0]).toBe(0);
    expect(watched.values).toEqual([...watched.values].sort((a, b) => a - b));
  });

  it('compareAndSet sets only from the expected value', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'counter-cas');
    const c = counter(zk, `${root}/c`);
    expect(await c.compareAndSet(0, 10)).toBe(true); // absent counts as 0
    expect(await c.compareAndSet(0, 20)).toBe(false);
    expect(await c.get()).toBe(10);
    expect(await c.add(-15)).toBe(-5);
    const other = counter(await testClient(), `${root}/c`);
    const [a, b] = await Promise.all([c.compareAndSet(-5, 1), other.compareAndSet(-5, 2)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await c.get()).toBe(a ? 1 : 2);
  });

  it('reads plain integers written by other tools, and refuses what is not a counter', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'counter-foreign');
    await zk.create(`${root}/plain`, '41');
    expect(await counter(zk, `${root}/plain`).add(1)).toBe(42);
    await zk.create(`${root}/text`, 'hello');
    await expect(counter(zk, `${root}/text`).add(1)).rejects.toBeInstanceOf(DataDecodeError);
    expect((await zk.get(`${root}/text`)).data.toString()).toBe('hello');
  });

  it('refuses bad arguments at the call site', async () => {
    const zk = await testClient();
    const c = counter(zk, '/c');
    expect(() => c.add(0.5)).toThrow('counter /c: delta must be a safe integer, got 0.5');
    expect(() => c.compareAndSet(1, 2 ** 60)).toThrow(/next must be a safe integer/);
    expect(() => counter(zk, '/c', { maxConflicts: 0 })).toThrow(/maxConflicts must be an integer >= 1, got 0/);
  });
});
