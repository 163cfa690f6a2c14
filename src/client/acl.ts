import { createHash } from 'node:crypto';
import { rawACL, type RawACL } from './raw-client.js';

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

export function toRawACL(acl: readonly ACL[]): RawACL[] {
  return acl.map((a) => rawACL(a.perms, a.scheme, a.id));
}

export function fromRawACL(acl: readonly RawACL[] | undefined): ACL[] {
  return (acl ?? []).map((a) => ({ perms: a.permission, scheme: a.id.scheme, id: a.id.id }));
}
