import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Perms } from '../../../src/index.js';
import { aclText, parseAcl, permsText } from '../../../src/cli/acl-spec.js';
import { fromStdin } from '../../../src/cli/commands/set.js';

describe('ACL entries as zkCli writes them', () => {
  it.each([
    ['world:anyone:cdrwa', { scheme: 'world', id: 'anyone', perms: Perms.ALL }],
    ['world:anyone:r', { scheme: 'world', id: 'anyone', perms: Perms.READ }],
    ['digest:alice:V55/p2T0OpjQ+low3NVAH4aLvm0=:rw', { scheme: 'digest', id: 'alice:V55/p2T0OpjQ+low3NVAH4aLvm0=', perms: Perms.READ | Perms.WRITE }],
    ['ip:10.0.0.0/8:ad', { scheme: 'ip', id: '10.0.0.0/8', perms: Perms.ADMIN | Perms.DELETE }],
    ['auth::cdrwa', { scheme: 'auth', id: '', perms: Perms.ALL }],
  ])('parses %s, and prints it back the same', (spec, entry) => {
    expect(parseAcl([spec], 'setacl /x')).toEqual([entry]);
    expect(aclText(entry)).toBe(spec.replace(/:ad$/, ':da'));
  });

  it('takes several entries, in several arguments or separated by commas', () => {
    expect(parseAcl(['world:anyone:r,auth::cdrwa', 'ip:127.0.0.1:w'], 'setacl /x').map(aclText)).toEqual([
      'world:anyone:r',
      'auth::cdrwa',
      'ip:127.0.0.1:w',
    ]);
  });

  it.each([
    [[], 'setacl /x: no ACL entry given (scheme:id:perms, e.g. world:anyone:cdrwa)'],
    [['world'], "setacl /x: 'world' is not scheme:id:perms (e.g. world:anyone:cdrwa)"],
    [[':anyone:r'], "setacl /x: ':anyone:r' is not scheme:id:perms (e.g. world:anyone:cdrwa)"],
    [['world:anyone:rz'], "setacl /x: 'world:anyone:rz' has permission 'z'; permissions are letters of cdrwa"],
    [['world:anyone:'], "setacl /x: 'world:anyone:' gives no permission; permissions are letters of cdrwa"],
  ])('refuses %j', (specs, message) => {
    expect(() => parseAcl(specs, 'setacl /x')).toThrow(InvalidArgumentError);
    expect(() => parseAcl(specs, 'setacl /x')).toThrow(message);
  });

  it('prints permissions in the order ZooKeeper does', () => {
    expect(permsText(Perms.ALL)).toBe('cdrwa');
    expect(permsText(Perms.READ | Perms.ADMIN | Perms.CREATE)).toBe('cra');
    expect(permsText(0)).toBe('');
  });
});

describe('set - (stdin)', () => {
  const bytes = (text: string) => Buffer.from(text, 'latin1');
  it.each([
    ['value\n', 'value'],
    ['value\r\n', 'value'],
    ['value\n\n', 'value\n'],
    ['value', 'value'],
    ['\n', ''],
    ['', ''],
  ])('drops one final newline of %j', (input, stored) => {
    expect(fromStdin(bytes(input), false)).toEqual(bytes(stored));
  });

  it('keeps everything with --keep-newline', () => {
    expect(fromStdin(bytes('value\r\n'), true)).toEqual(bytes('value\r\n'));
  });
});
