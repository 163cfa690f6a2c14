import { describe, expect, it } from 'vitest';
import { NodeExistsError, NoNodeError } from '../../../src/index.js';
import { testClient, testRoot } from '../../helpers/zk.js';

describe('create under a namespace (chroot)', () => {
  it('rejects with the typed error, and creates parents when asked', async () => {
    const admin = await testClient();
    const root = await testRoot(admin, 'chroot-create');
    const zk = await testClient({ chroot: root });
    await expect(zk.create('/a/b', 'x')).rejects.toBeInstanceOf(NoNodeError);
    expect(await zk.create('/a/b', 'x', { parents: true })).toBe('/a/b');
    await expect(zk.create('/a/b', 'y')).rejects.toBeInstanceOf(NodeExistsError);
    expect((await admin.get(`${root}/a/b`)).data.toString()).toBe('x');
  });
});
