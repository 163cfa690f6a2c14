import { filter, type Observable, type Subscription } from 'rxjs';
import { OPEN_ACL_UNSAFE } from '../model/acl.js';
import type { ConnectionState } from '../model/connection-state.js';
import { ancestorsOf } from '../paths/paths.js';
import type { WireClient } from '../wire/wire-client.js';

/**
 * A client's namespace (`chroot`): every path a caller gives is taken relative to it. `''` for
 * none, when paths go to the server as they are.
 */
export class Namespace {
  constructor(
    /** The namespace's node on the server (`/apps/billing`), or `''`. */
    readonly chroot: string,
  ) {}

  /** The server's path for a caller's. */
  toServerPath(path: string): string {
    const { chroot } = this;
    if (!chroot) return path;
    return path === '/' ? chroot : chroot + path;
  }

  /** The caller's path for a server's (a created node's, a transaction's result). */
  toUserPath(serverPath: string): string {
    const { chroot } = this;
    if (!chroot) return serverPath;
    if (serverPath === chroot) return '/';
    return serverPath.startsWith(`${chroot}/`) ? serverPath.slice(chroot.length) : serverPath;
  }

  /**
   * Creates the namespace node (and its parents) whenever a new session starts, before anything
   * else is sent on it: subscribe to `state$` before the operations and streams do.
   */
  createOnEverySession(state$: Observable<ConnectionState>, live: () => WireClient | null): Subscription {
    const paths = [...ancestorsOf(this.chroot), this.chroot];
    return state$.pipe(filter((state) => state === 'connected')).subscribe(() => {
      const wire = live();
      if (!wire) return;
      // Fire and forget: the server handles requests in order. NodeExists is the common answer;
      // any other problem (NoAuth...) shows in the operations under the namespace that follow.
      for (const path of paths) wire.create(path, null, OPEN_ACL_UNSAFE, 0, {}, () => {});
    });
  }
}
