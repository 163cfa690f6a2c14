import { describe, expect, it } from 'vitest';
import { parseServerVersion, supports } from '../../../src/wire/server-version.js';

describe('server versions', () => {
  it.each([
    ['3.8.0', [3, 8, 0]],
    ['3.4.14-4c25d480e66aadd371de8bd2fd8da255ac140bcf', [3, 4, 14]],
    ['3.9.2-SNAPSHOT', [3, 9, 2]],
  ])('reads %s', (text, [major, minor, patch]) => {
    expect(parseServerVersion(text)).toMatchObject({ major, minor, patch });
  });

  it('reads no version from what is not one', () => {
    expect(parseServerVersion('')).toBeNull();
    expect(parseServerVersion('unknown')).toBeNull();
  });

  it.each([
    ['3.4.14', 'create2', false],
    ['3.5.0', 'create2', true],
    ['3.5.0', 'createContainer', false],
    ['3.5.1', 'createContainer', true],
    ['3.5.2', 'createTTL', false],
    ['3.5.3', 'createTTL', true],
    ['3.5.10', 'addWatch', false],
    ['3.6.0', 'addWatch', true],
    ['3.6.4', 'whoAmI', false],
    ['3.7.0', 'whoAmI', true],
    ['3.8.4', 'removePersistentWatches', false],
    ['3.9.0', 'removePersistentWatches', true],
    ['4.0.0', 'whoAmI', true],
  ] as const)('%s implements %s: %s', (version, feature, expected) => {
    expect(supports(parseServerVersion(version)!, feature)).toBe(expected);
  });
});
