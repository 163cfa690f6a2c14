import { describe, expect, it } from 'vitest';
import { config, InvalidConfigError, NoNodeError } from '../../../src/index.js';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

interface Limits {
  rps: number;
  burst: number;
}

function parseLimits(raw: unknown): Limits {
  const { rps, burst } = (raw ?? {}) as Partial<Limits>;
  if (typeof rps !== 'number' || rps <= 0) throw new Error('rps must be a positive number');
  if (typeof burst !== 'number' || burst < 0) throw new Error('burst must be a number >= 0');
  return { rps, burst };
}
const defaults: Limits = { rps: 100, burst: 0 };

describe('config', () => {
  it('follows valid values; an invalid write is reported and the last good value stays', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'config-follow');
    const path = `${root}/limits`;
    const invalid: InvalidConfigError[] = [];
    const follower = await testClient();
    const seen = record(config(follower, path, { parse: parseLimits, defaults, onInvalid: (e) => invalid.push(e) }).value$);
    await eventually(() => seen.values.length === 1, 'the defaults');

    const admin = config(zk, path, { parse: parseLimits, defaults });
    await admin.set({ rps: 5, burst: 1 });
    await eventually(() => seen.values.at(-1)?.rps === 5, 'the first value');
    await zk.set(path, '{"rps": -3, "burst": 1}'); // a bad hand edit
    await eventually(() => invalid.length === 1, 'the invalid write to be reported');
    expect(invalid[0]!.message).toBe(`${path} (version 1): rejected by parse (rps must be a positive number)`);
    await expect(admin.get()).rejects.toBeInstanceOf(InvalidConfigError);
    await expect(admin.update((c) => c)).rejects.toBeInstanceOf(InvalidConfigError);
    await admin.set({ rps: 7, burst: 2 });
    await eventually(() => seen.values.at(-1)?.rps === 7, 'the next good value');
    expect(seen.values).toEqual([defaults, { rps: 5, burst: 1 }, { rps: 7, burst: 2 }]);
    expect(seen.errors).toEqual([]);
  });

  it('applies concurrent updates from several clients one after another, none lost', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'config-update');
    const path = `${root}/limits`;
    const clients = await Promise.all([testClient(), testClient(), testClient()]);
    await Promise.all(
      clients.map(async (client) => {
        const limits = config(client, path, { parse: parseLimits, defaults });
        for (let i = 0; i < 5; i++) await limits.update((c) => ({ ...c, burst: c.burst + 1 }));
      }),
    );
    expect(await config(zk, path, { parse: parseLimits }).get()).toEqual({ rps: 100, burst: 15 });
  });

  it('refuses to write what parse rejects, and to update nothing without defaults', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'config-refuse');
    const path = `${root}/limits`;
    const limits = config(zk, path, { parse: parseLimits });
    await expect(limits.update((c) => c)).rejects.toBeInstanceOf(NoNodeError);
    await expect(limits.get()).rejects.toBeInstanceOf(NoNodeError);
    expect(() => limits.set({ rps: 0, burst: 0 })).toThrow(
      `config ${path}: the value is rejected by parse (rps must be a positive number)`,
    );
    await limits.set({ rps: 1, burst: 0 });
    await expect(limits.update((c) => ({ ...c, burst: -1 }))).rejects.toThrow(
      `config ${path}: the updated value is rejected by parse (burst must be a number >= 0)`,
    );
    expect(await limits.get()).toEqual({ rps: 1, burst: 0 });
    expect((await zk.exists(path))?.version).toBe(0);
    expect(() => config(zk, path, { parse: parseLimits, defaults: { rps: -1, burst: 0 } })).toThrow(/defaults is rejected by parse/);
  });
});
