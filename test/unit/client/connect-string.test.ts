import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/client/options.js';
import { InvalidArgumentError } from '../../../src/index.js';

describe('connect strings', () => {
  it('takes a /path suffix as the namespace, as ZooKeeper clients do', () => {
    const options = resolveOptions('10.0.0.1:2181, 10.0.0.2:2181/apps/billing');
    expect(options.servers).toEqual(['10.0.0.1:2181', '10.0.0.2:2181']);
    expect(options.connectString).toBe('10.0.0.1:2181,10.0.0.2:2181');
    expect(options.chroot).toBe('/apps/billing');
  });

  it('treats a bare / suffix as no namespace', () => {
    expect(resolveOptions('h:1/').chroot).toBe('');
  });

  it('refuses a namespace given twice, and a bad one', () => {
    expect(() => resolveOptions('h:1/a', { chroot: '/b' })).toThrow(InvalidArgumentError);
    expect(() => resolveOptions('h:1/a', { chroot: '/b' })).toThrow(/given twice/);
    expect(() => resolveOptions('h:1/a//b')).toThrow(/empty node name/);
  });

  it('names a server entry that is not host:port', () => {
    expect(() => resolveOptions('h:1,oops')).toThrow('connect: "oops" in the connect string is not host:port');
  });
});
