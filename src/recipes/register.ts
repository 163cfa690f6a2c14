/**
 * Service registration: subscribing registers the instance, unsubscribing deregisters it.
 *
 * The ZooKeeper algorithm:
 * 1. Create the ephemeral node `<base>/<id>` holding `{ id, host, port, payload, registeredAt }`.
 * 2. If it exists and its ephemeralOwner is our session, it is ours (a create re-sent after a
 *    lost reply). If another session owns it, it is a stale node of an earlier incarnation (a fast
 *    restart leaves the old node until the server expires the old session) or a duplicate id:
 *    wait until it is gone (`waiting-for-stale`), or with `onStale: 'replace'` delete it.
 * 3. Watch our node; if someone else deletes it, register again.
 * 4. On every new session (after `lost`), register again.
 *
 * Caveats:
 * - An instance that crashes stays registered until the server expires its session.
 * - `onStale: 'replace'` is for restarts of the same instance. Two live instances sharing an id
 *   and both replacing would take the node from each other forever; with the default they queue.
 * - Unsubscribing while disconnected deletes the node once the session is back (or the server
 *   drops it with the session); a registration still in flight is deleted when it lands.
 */
import { concat, defer, distinctUntilChanged, Observable, of, switchMap } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { BadVersionError, InvalidArgumentError, NodeExistsError, NoNodeError } from '../errors/zk-error.js';
import { retryBackoff } from '../operators/retry-backoff.js';
import { joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { whileLive } from './operators/while-live.js';
import { instanceData, type ServiceRegistration } from './service-instance.js';

/** Where a registration stands. */
export interface RegistrationState {
  readonly state: 'registering' | 'registered' | 'suspended' | 'waiting-for-stale';
  /** The instance node. */
  readonly path: string;
}

/** Options of {@link register}. */
export interface RegisterOptions {
  /**
   * What to do with a node at our path owned by another session: `'wait'` (default) until the
   * server removes it, or `'replace'` it at once.
   */
  onStale?: 'wait' | 'replace';
}

/**
 * Registers `instance` under the service node `base` while subscribed, as the ephemeral node
 * `<base>/<id>`, and re-registers on every new session. Emits `registering`, `registered`,
 * `suspended` (connection suspended: the registration may be gone soon) and `waiting-for-stale`
 * (another session's node holds our path). Unsubscribing deletes the node.
 *
 * ## Example
 * ```ts
 * import { connect, register } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * register(zk, '/services/api', { id: 'a1', host: '10.0.0.1', port: 8080 }).subscribe(({ state }) =>
 *   console.log(state),
 * );
 * // Logs: registering, registered
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or instance.
 */
export function register(
  zk: ZkClient,
  base: string,
  instance: ServiceRegistration,
  options: RegisterOptions = {},
): Observable<RegistrationState> {
  validatePath(base, 'register');
  checkInstance(instance);
  const path = joinPath(base, instance.id);
  validatePath(path, 'register');
  return new Observable<RegistrationState>((subscriber) => {
    const registration = new Registration(zk, path, instance, options.onStale ?? 'wait');
    const subscription = zk.state$
      .pipe(
        whileLive(
          () => concat(of(registration.state('registering')), registration.claim$()),
          (state) => registration.state(state === 'suspended' ? 'suspended' : 'registering'),
        ),
        distinctUntilChanged((a, b) => a.state === b.state),
      )
      .subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      void registration.withdraw().catch(() => undefined);
    };
  });
}

class Registration {
  /** A create under way, so that withdrawing can wait for it and remove what it made. */
  private creating: Promise<unknown> | null = null;
  private withdrawn = false;

  constructor(
    private readonly zk: ZkClient,
    private readonly path: string,
    private readonly instance: ServiceRegistration,
    private readonly onStale: 'wait' | 'replace',
  ) {}

  state(state: RegistrationState['state']): RegistrationState {
    return { state, path: this.path };
  }

  /** Registers, and registers again whenever the node goes; `waiting-for-stale` meanwhile. */
  claim$(): Observable<RegistrationState> {
    return defer(() => this.claim()).pipe(
      switchMap((outcome) =>
        concat(
          of(this.state(outcome === 'mine' ? 'registered' : 'waiting-for-stale')),
          this.zk.deleted$(this.path).pipe(switchMap(() => this.claim$())),
        ),
      ),
      retryBackoff({ scheduler: this.zk.scheduler }),
    );
  }

  private async claim(): Promise<'mine' | 'stale'> {
    for (let attempt = 0; attempt < 10; attempt++) {
      if (this.withdrawn) throw new InvalidArgumentError(`register ${this.path}: withdrawn`);
      try {
        this.creating = this.zk.create(this.path, instanceData(this.instance, Date.now()), {
          mode: 'ephemeral',
          parents: true,
        });
        await this.creating;
        return 'mine';
      } catch (error) {
        if (!(error instanceof NodeExistsError)) throw error;
      } finally {
        this.creating = null;
      }
      const stat = await this.zk.exists(this.path);
      if (!stat) continue; // gone meanwhile: create again
      if (stat.ephemeralOwner === this.zk.sessionId) return 'mine';
      if (this.onStale === 'wait') return 'stale';
      await this.zk.delete(this.path, { version: stat.version }).catch((error: unknown) => {
        if (!(error instanceof NoNodeError) && !(error instanceof BadVersionError)) throw error;
      });
    }
    throw new NodeExistsError(`register ${this.path}: could not claim the node after 10 attempts`, { path: this.path });
  }

  /** Deletes our node, once any create under way has landed; resolves when done. */
  async withdraw(): Promise<void> {
    this.withdrawn = true;
    await this.creating?.catch(() => undefined);
    const stat = await this.zk.exists(this.path).catch(() => null);
    if (stat && stat.ephemeralOwner === this.zk.sessionId) {
      await this.zk.delete(this.path, { version: stat.version }).catch(() => undefined);
    }
  }
}

function checkInstance(instance: ServiceRegistration): void {
  if (!instance || typeof instance !== 'object') throw new InvalidArgumentError('register: instance must be an object');
  if (typeof instance.id !== 'string' || instance.id === '' || instance.id.includes('/')) {
    throw new InvalidArgumentError(`register: instance.id must be a non-empty string without "/", got ${JSON.stringify(instance.id)}`);
  }
  if (typeof instance.host !== 'string' || instance.host === '') {
    throw new InvalidArgumentError(`register: instance.host must be a non-empty string, got ${JSON.stringify(instance.host)}`);
  }
  if (!Number.isInteger(instance.port) || instance.port < 0 || instance.port > 65535) {
    throw new InvalidArgumentError(`register: instance.port must be an integer from 0 to 65535, got ${String(instance.port)}`);
  }
  try {
    JSON.stringify(instance.payload ?? null);
  } catch (error) {
    throw new InvalidArgumentError('register: instance.payload must be JSON-serializable', { cause: error });
  }
}
