import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  discover,
  InvalidArgumentError,
  leadership,
  lock,
  readWriteLock,
  register,
  semaphore,
  withLock,
  type NodeScheme,
} from '../../../src/index.js';
import { testClient, testRoot } from '../../helpers/zk.js';

describe('the interop options', () => {
  it('refuse a bad scheme or id at the call, naming it', async () => {
    const zk = await testClient();
    const bad = 'zookeeper' as NodeScheme;
    expect(() => lock(zk, '/l', { scheme: bad })).toThrow(new InvalidArgumentError(`lock: scheme must be 'rxzk', 'curator' or 'kazoo', got "zookeeper"`));
    expect(() => withLock(zk, '/l', () => [], { scheme: bad })).toThrow(/withLock: scheme must be/);
    expect(() => readWriteLock(zk, '/l').read$({ scheme: bad })).toThrow(/readWriteLock \/l: read\$: scheme must be/);
    expect(() => semaphore(zk, '/s', { permits: 1, scheme: bad })).toThrow(/semaphore \/s: scheme must be/);
    expect(() => leadership(zk, '/e', { id: 'a', scheme: bad })).toThrow(/leadership: scheme must be/);
    expect(() => lock(zk, '/l', { id: '' })).toThrow(/lock: id must be a non-empty string, got ""/);
  });

  it('refuse Curator fields without the Curator format, and a bad format', async () => {
    const zk = await testClient();
    const instance = { id: 'a', host: 'h', port: 1 };
    expect(() => register(zk, '/svc', { ...instance, name: 'api' })).toThrow(/instance.name is a field of format 'curator'/);
    expect(() => register(zk, '/svc', { ...instance, format: 'eureka' as 'rxzk' })).toThrow(/instance.format must be 'rxzk' or 'curator', got "eureka"/);
    expect(() => register(zk, '/svc', { ...instance, format: 'curator', uriSpec: '{oops' })).toThrow(/uriSpec "\{oops": the last variable is not closed/);
    expect(() => register(zk, '/svc', { ...instance, format: 'curator', sslPort: -1 })).toThrow(/instance.sslPort must be an integer/);
    expect(() => register(zk, '/', { ...instance, format: 'curator' })).toThrow(/format 'curator' needs a service name/);
    expect(() => discover(zk, '/svc', { format: 'eureka' as 'rxzk' })).toThrow(/discover \/svc: format must be 'rxzk' or 'curator'/);
  });

  it('a kazoo semaphore with another permit count is refused down the stream, as kazoo raises ValueError', async () => {
    const zk = await testClient();
    const path = `${await testRoot(zk, 'interop-permits')}/sem`;
    // kazoo's Semaphore keeps max_leases as its node's data.
    await zk.create(path, '3');
    const error = await lastValueFrom(semaphore(zk, path, { permits: 2, scheme: 'kazoo' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(`semaphore ${path}: the kazoo semaphore there has 3 permits, this participant asks for 2`);
    expect(await zk.getChildren(path)).toEqual([]);
  });
});
