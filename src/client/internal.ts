import { InvalidArgumentError } from '../errors/zk-error.js';
import { SESSION_CREDENTIALS, type SessionCredentials } from '../session/session-credentials.js';
import type { ResolvedOptions } from './options.js';
import type { ZkClient } from './zk-client.js';

/*
 * What rxzk's own modules (recipes, handles, the command line, `rxzk/testing`) may ask of a client
 * beyond its public {@link ZkClient} type. Not exported from the package's entry points: the
 * client class holds these under registered symbols, so that a client of another copy of rxzk
 * (sources beside the build, in tests) answers too.
 */

/** The key of a client's {@link ClientInternals}. */
export const CLIENT_INTERNALS: unique symbol = Symbol.for('rxzk.clientInternals') as never;

/** A client's state that its public type does not show. */
export interface ClientInternals {
  /** Whether `close()` has been called. */
  readonly closing: boolean;
  /** The options it was made with, every default filled in. */
  readonly options: ResolvedOptions;
}

interface WithInternals {
  readonly [CLIENT_INTERNALS]?: ClientInternals;
  readonly [SESSION_CREDENTIALS]?: () => SessionCredentials | null;
}

/**
 * Whether `close()` has been called on `zk`. Until the server has ended the session the state is
 * still live, but nothing made now would outlive it: recipes stop re-creating their nodes (which
 * the server deletes as it closes the session). `false` for anything not made by `connect()`.
 */
export function isClosing(zk: ZkClient): boolean {
  return (zk as WithInternals)[CLIENT_INTERNALS]?.closing ?? false;
}

/**
 * The options `zk` was made with (namespace, servers, request size limit...).
 * @throws InvalidArgumentError for a client not made by `connect()`.
 */
export function clientOptions(zk: ZkClient): ResolvedOptions {
  const internals = (zk as WithInternals)[CLIENT_INTERNALS];
  if (!internals) throw new InvalidArgumentError('clientOptions: not a client made by connect()');
  return internals.options;
}

/** What it takes to attach to `zk`'s current session (for `rxzk/testing`), or `null` while it has none. */
export function sessionCredentials(zk: ZkClient): SessionCredentials | null {
  return (zk as WithInternals)[SESSION_CREDENTIALS]?.() ?? null;
}
