import { firstValueFrom, filter } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { AbortError, discover, InvalidArgumentError, registerInstance } from '../../../src/index.js';
import { eventually, testClient, testRoot } from '../../helpers/zk.js';

describe('registerInstance', () => {
  it('resolves once registered, is discovered, and deregister() removes the node before resolving', async () => {
    const [zk, observer] = await Promise.all([testClient(), testClient()]);
    const base = `${await testRoot(observer, 'register-instance')}/api`;
    const registration = await registerInstance(zk, base, { id: 'a1', host: '10.0.0.1', port: 8080, payload: { zone: 'eu' } });
    expect(registration.path).toBe(`${base}/a1`);
    expect(registration.state).toBe('registered');
    const instances = await firstValueFrom(discover(observer, base).pipe(filter((list) => list.length === 1)));
    expect(instances[0]).toMatchObject({ id: 'a1', host: '10.0.0.1', port: 8080, payload: { zone: 'eu' } });
    await registration.deregister();
    expect(registration.state).toBe('deregistered');
    expect(await observer.exists(`${base}/a1`)).toBeNull();
  });

  it('an abort while a stale node is waited out withdraws and rejects, leaving the other node alone', async () => {
    const [zk, other, observer] = await Promise.all([testClient(), testClient(), testClient()]);
    const base = `${await testRoot(observer, 'register-instance')}/api`;
    // Another session's node holds the path, as an earlier incarnation's would.
    await other.create(`${base}/a1`, '{}', { mode: 'ephemeral', parents: true });
    const controller = new AbortController();
    const waiting = registerInstance(zk, base, { id: 'a1', host: 'h', port: 1 }, { signal: controller.signal }).catch((e: unknown) => e);
    await eventually(async () => zk.exists(`${base}/a1`).then((stat) => stat !== null), 'the stale node seen');
    controller.abort();
    expect(await waiting).toBeInstanceOf(AbortError);
    const stat = await observer.exists(`${base}/a1`);
    expect(stat?.ephemeralOwner).toBe(other.sessionId);
  });

  it('refuses a bad instance at the call', async () => {
    const zk = await testClient();
    expect(() => registerInstance(zk, '/services/api', { id: 'a/b', host: 'h', port: 1 })).toThrow(
      new InvalidArgumentError('registerInstance: instance.id must be a non-empty string without "/", got "a/b"'),
    );
  });
});
