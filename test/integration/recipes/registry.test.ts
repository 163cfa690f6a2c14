import { describe, expect, it } from 'vitest';
import { discover, register, type DataDecodeError, type RegistrationState, type ServiceInstance } from '../../../src/index.js';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

const ids = (list: ServiceInstance[] | undefined) => (list ?? []).map((i) => i.id).join(',');

describe('service registry', () => {
  it('discovers instances as they come, change, go and crash', async () => {
    const [a, b, watcher] = await Promise.all([testClient(), testClient(), testClient()]);
    const base = `${await testRoot(watcher, 'svc')}/api`;
    const seen = record(discover(watcher, base));
    await eventually(() => seen.values.length === 1, 'the first list');
    expect(seen.values[0]).toEqual([]);

    const ra = record(register(a, base, { id: 'a1', host: '10.0.0.1', port: 8080, payload: { zone: 'eu' } }));
    const rb = record(register(b, base, { id: 'b1', host: '10.0.0.2', port: 8081 }));
    await eventually(() => ids(seen.values.at(-1)) === 'a1,b1', 'both instances');
    expect(ra.values.map((s) => s.state)).toEqual(['registering', 'registered']);
    expect(seen.values.at(-1)![0]).toMatchObject({ id: 'a1', host: '10.0.0.1', port: 8080, payload: { zone: 'eu' }, path: `${base}/a1` });

    // A payload change made to the node shows up.
    const node = JSON.parse((await a.get(`${base}/a1`)).data.toString());
    await a.set(`${base}/a1`, JSON.stringify({ ...node, payload: { zone: 'us' } }));
    await eventually(() => (seen.values.at(-1)?.[0]?.payload as { zone?: string })?.zone === 'us', 'the new payload');

    ra.subscription.unsubscribe();
    await eventually(() => ids(seen.values.at(-1)) === 'b1', 'a1 to leave');
    // b crashes (its session ends without deregistering).
    await b.close();
    await eventually(() => ids(seen.values.at(-1)) === '', 'b1 to go with its session');
    expect(rb.completed()).toBe(true);
  });

  it('skips and reports a malformed instance node, and goes on', async () => {
    const [a, watcher] = await Promise.all([testClient(), testClient()]);
    const base = `${await testRoot(watcher, 'svc')}/api`;
    const invalid: DataDecodeError[] = [];
    const seen = record(discover(watcher, base, { onInvalid: (e) => invalid.push(e) }));
    await watcher.create(`${base}/junk`, 'not json', { parents: true });
    await watcher.create(`${base}/partial`, JSON.stringify({ id: 'partial' }));
    record(register(a, base, { id: 'a1', host: 'h', port: 1 }));
    await eventually(() => ids(seen.values.at(-1)) === 'a1', 'the valid instance');
    expect(invalid.map((e) => e.path).sort()).toEqual([`${base}/junk`, `${base}/partial`]);
    expect(seen.errors).toEqual([]);
  });

  it("waits out another session's stale node at its path, then registers", async () => {
    const [old, fresh] = await Promise.all([testClient(), testClient()]);
    const base = `${await testRoot(old, 'svc')}/api`;
    // The previous incarnation's node, still held by its (live) session.
    await old.create(`${base}/s1`, JSON.stringify({ id: 's1', host: 'old', port: 1 }), { mode: 'ephemeral', parents: true });
    const states = record(register(fresh, base, { id: 's1', host: 'new', port: 2 }));
    await eventually(() => states.values.at(-1)?.state === 'waiting-for-stale', 'waiting for the stale node');
    expect(JSON.parse((await fresh.get(`${base}/s1`)).data.toString()).host).toBe('old');

    await old.close();
    await eventually(() => states.values.at(-1)?.state === 'registered', 'registered after the stale node went');
    const stat = await fresh.exists(`${base}/s1`);
    expect(stat?.ephemeralOwner).toBe(fresh.sessionId);
    expect(states.values.map((s: RegistrationState) => s.state)).toEqual(['registering', 'waiting-for-stale', 'registered']);
  });

  it("replaces another session's node at once with onStale: 'replace'", async () => {
    const [old, fresh] = await Promise.all([testClient(), testClient()]);
    const base = `${await testRoot(old, 'svc')}/api`;
    await old.create(`${base}/s1`, JSON.stringify({ id: 's1', host: 'old', port: 1 }), { mode: 'ephemeral', parents: true });
    const states = record(register(fresh, base, { id: 's1', host: 'new', port: 2 }, { onStale: 'replace' }));
    await eventually(() => states.values.at(-1)?.state === 'registered', 'registered');
    expect(JSON.parse((await fresh.get(`${base}/s1`)).data.toString()).host).toBe('new');
    expect((await fresh.exists(`${base}/s1`))?.ephemeralOwner).toBe(fresh.sessionId);
  });

  it('registers again when someone deletes its node, and unsubscribing deletes it', async () => {
    const [a, admin] = await Promise.all([testClient(), testClient()]);
    const base = `${await testRoot(a, 'svc')}/api`;
    const states = record(register(a, base, { id: 'a1', host: 'h', port: 1 }));
    await eventually(() => states.values.at(-1)?.state === 'registered', 'registered');
    const before = (await admin.exists(`${base}/a1`))!.czxid;
    await admin.delete(`${base}/a1`);
    await eventually(async () => ((await admin.exists(`${base}/a1`))?.czxid ?? before) > before, 'registered again');
    states.subscription.unsubscribe();
    await eventually(async () => (await admin.exists(`${base}/a1`)) === null, 'the node to be deleted');
  });

  it('throws at once for a bad instance', async () => {
    const zk = await testClient();
    expect(() => register(zk, '/svc', { id: 'a/b', host: 'h', port: 1 })).toThrow(/instance.id must be a non-empty string without "\/"/);
    expect(() => register(zk, '/svc', { id: 'a', host: 'h', port: 70000 })).toThrow(/instance.port must be an integer/);
  });
});
