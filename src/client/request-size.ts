import { DataTooLargeError } from '../errors/zk-error.js';
import type { ACL } from '../model/acl.js';

// Sizes of ZooKeeper's wire encoding (jute): int = 4, a string or buffer = 4 + its bytes.
const HEADER = 8; // xid + type
const MULTI_HEADER = 9; // type + done + err

const stringBytes = (s: string) => 4 + Buffer.byteLength(s);
const dataBytes = (data: Buffer | undefined) => 4 + (data?.length ?? 0);
const aclBytes = (acl: readonly ACL[]) =>
  4 + acl.reduce((sum, a) => sum + 4 + stringBytes(a.scheme) + stringBytes(a.id), 0);

/** Bytes of a create request's body. */
export function createBodyBytes(serverPath: string, data: Buffer | undefined, acl: readonly ACL[]): number {
  return stringBytes(serverPath) + dataBytes(data) + aclBytes(acl) + 4;
}

/** Bytes of a setData request's body. */
export function setBodyBytes(serverPath: string, data: Buffer | undefined): number {
  return stringBytes(serverPath) + dataBytes(data) + 4;
}

/** Bytes of a read request's body (getData, exists, getChildren: the path and the watch flag). */
export function readBodyBytes(serverPath: string): number {
  return stringBytes(serverPath) + 1;
}

/** Bytes of a setACL request's body. */
export function setACLBodyBytes(serverPath: string, acl: readonly ACL[]): number {
  return stringBytes(serverPath) + aclBytes(acl) + 4;
}

/** Bytes of a delete or check request's body. */
export function pathVersionBodyBytes(serverPath: string): number {
  return stringBytes(serverPath) + 4;
}

/** Bytes of a multi request's body made of the given op bodies. */
export function multiBodyBytes(opBodies: readonly number[]): number {
  return opBodies.reduce((sum, body) => sum + MULTI_HEADER + body, 0) + MULTI_HEADER;
}

/**
 * Refuses a request the server would reject by dropping the connection: the server reads at most
 * `limit` bytes (`jute.maxbuffer`) per request, header included. Throws {@link DataTooLargeError}.
 */
export function checkRequestSize(what: string, path: string, bodyBytes: number, limit: number): void {
  const total = HEADER + bodyBytes;
  if (total > limit) {
    throw new DataTooLargeError(
      `${what} ${path}: the request would be ${total} bytes, over the server's limit of ${limit} (jute.maxbuffer) by ${
        total - limit
      }; it was not sent`,
      path,
      total,
      limit,
    );
  }
}
