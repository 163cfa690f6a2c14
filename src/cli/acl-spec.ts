import { InvalidArgumentError, Perms, type ACL } from '../index.js';

/** Permission letters in the order ZooKeeper's own tools print them (`cdrwa`). */
const LETTERS: ReadonlyArray<[letter: string, bit: number]> = [
  ['c', Perms.CREATE],
  ['d', Perms.DELETE],
  ['r', Perms.READ],
  ['w', Perms.WRITE],
  ['a', Perms.ADMIN],
];

/** `cdrwa` for {@link Perms.ALL}, `r` for {@link Perms.READ}... */
export function permsText(perms: number): string {
  return LETTERS.filter(([, bit]) => (perms & bit) !== 0)
    .map(([letter]) => letter)
    .join('');
}

/** One ACL entry as `setacl` takes it and `getacl` prints it: `scheme:id:perms`. */
export function aclText(entry: ACL): string {
  return `${entry.scheme}:${entry.id}:${permsText(entry.perms)}`;
}

/**
 * Parses ACL entries written as ZooKeeper's `zkCli` writes them, `scheme:id:perms`, several in one
 * argument separated by commas: `world:anyone:r`, `digest:alice:<base64 sha1>:cdrwa`,
 * `ip:10.0.0.0/8:rw`, `auth::cdrwa`. The id is everything between the first and the last colon.
 *
 * @throws InvalidArgumentError naming the entry and what is wrong with it.
 */
export function parseAcl(specs: readonly string[], what: string): ACL[] {
  const entries = specs.flatMap((spec) => spec.split(',')).filter((spec) => spec !== '');
  if (entries.length === 0) throw new InvalidArgumentError(`${what}: no ACL entry given (scheme:id:perms, e.g. world:anyone:cdrwa)`);
  return entries.map((entry) => {
    const first = entry.indexOf(':');
    const last = entry.lastIndexOf(':');
    if (first <= 0 || last === first) {
      throw new InvalidArgumentError(`${what}: '${entry}' is not scheme:id:perms (e.g. world:anyone:cdrwa)`);
    }
    const letters = entry.slice(last + 1);
    let perms = 0;
    for (const char of letters) {
      const bit = LETTERS.find(([letter]) => letter === char)?.[1];
      if (bit === undefined) {
        throw new InvalidArgumentError(`${what}: '${entry}' has permission '${char}'; permissions are letters of cdrwa`);
      }
      perms |= bit;
    }
    if (letters === '') throw new InvalidArgumentError(`${what}: '${entry}' gives no permission; permissions are letters of cdrwa`);
    return { scheme: entry.slice(0, first), id: entry.slice(first + 1, last), perms };
  });
}
