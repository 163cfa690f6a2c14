import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { describeValue } from './describe-value.js';

/** Permission bits of an ACL entry. */
export const Perms = {
  READ: 1,
  WRITE: 2,
  CREATE: 4,
  DELETE: 8,
  ADMIN: 16,
  ALL: 31,
} as const;

/** One ACL entry: who (`scheme` + `id`) may do what (`perms`, a sum of {@link Perms}). */
export interface ACL {
  readonly perms: number;
  readonly scheme: string;
  readonly id: string;
}

/** Anyone may do anything. The default for new nodes. */
export const OPEN_ACL_UNSAFE: readonly ACL[] = Object.freeze([{ perms: Perms.ALL, scheme: 'world', id: 'anyone' }]);
/** Only the identities the creating session authenticated as. */
export const CREATOR_ALL_ACL: readonly ACL[] = Object.freeze([{ perms: Perms.ALL, scheme: 'auth', id: '' }]);
/** Anyone may read. */
export const READ_ACL_UNSAFE: readonly ACL[] = Object.freeze([{ perms: Perms.READ, scheme: 'world', id: 'anyone' }]);

/**
 * An ACL entry for a digest user, as `addAuth('digest', 'user:password')` authenticates it:
 * the id is `user:base64(sha1(user:password))`.
 */
export function digestACL(user: string, password: string, perms: number = Perms.ALL): ACL {
  const hash = createHash('sha1').update(`${user}:${password}`).digest('base64');
  return { perms, scheme: 'digest', id: `${user}:${hash}` };
}

/**
 * Checks an ACL given by a caller: a non-empty array of entries, each with `perms` a whole number
 * from 0 to 31 (a sum of {@link Perms}), a non-empty `scheme` and a string `id`. Returns it.
 */
export function checkACL(acl: unknown, what: string): readonly ACL[] {
  if (!Array.isArray(acl) || acl.length === 0) {
    throw new InvalidArgumentError(`${what}: acl must be a non-empty array of { perms, scheme, id }, got ${describeValue(acl)}`);
  }
  acl.forEach((entry: unknown, i) => {
    const e = entry as Partial<ACL> | null;
    const fail = (reason: string): never => {
      throw new InvalidArgumentError(`${what}: acl[${i}] ${reason}`);
    };
    if (typeof e !== 'object' || e === null) fail(`must be an object { perms, scheme, id }, got ${describeValue(e)}`);
    if (!Number.isInteger(e!.perms) || e!.perms! < 0 || e!.perms! > Perms.ALL) {
      fail(`perms must be a whole number from 0 to 31 (a sum of Perms), got ${describeValue(e!.perms)}`);
    }
    if (typeof e!.scheme !== 'string' || e!.scheme === '') fail(`scheme must be a non-empty string, got ${describeValue(e!.scheme)}`);
    if (typeof e!.id !== 'string') fail(`id must be a string, got ${describeValue(e!.id)}`);
  });
  return acl as readonly ACL[];
}
