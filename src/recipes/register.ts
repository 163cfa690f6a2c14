/**
 * Service registration: subscribing registers the instance, unsubscribing deregisters it.
 *
 * The ZooKeeper algorithm:
 * 1. Create the ephemeral node `<base>/<id>` holding `{ id, host, port, payload, registeredAt }`.
 * 2. If it exists and its ephemeralOwner is our session, it is ours (a create re-sent after a
 *    lost reply). If another session owns it, it is a stale node of an earlier incarnation (a fast
 *    restart leaves the old node until the server expires the old session) or a duplicate id:
 *    wait until it is gone (`waiting-for-stale`), or with `onStale: 'replace'` replace it (delete
 *    and create in one transaction, so a live owner sees ours already there and waits).
 * 3. Watch our node; if someone else deletes it, register again.
 * 4. On every new session (after `lost`), register again.
 *
 * Caveats:
 * - An instance that crashes stays registered until the server expires its session.
 * - `onStale: 'replace'` is for restarts of the same instance. Two live instances sharing an id
 *   and both replacing would take the node from each other forever; with the default they queue,
 *   and a default one whose node is replaced waits for the replacer's node to go.
 * - Unsubscribing while disconnected deletes the node once the session is back (or the server
 *   drops it with the session); a registration still in flight is deleted when it lands.
 * - With `format: 'curator'` the node holds Curator x-discovery's `ServiceInstance` JSON, where
 *   Curator's `ServiceDiscovery` looks (`<basePath>/<name>/<id>`). Curator itself, finding a node
 *   at its path, deletes it and creates its own; rxzk waits for it to go (or replaces it).
 */
import { concat, distinctUntilChanged, map, Observable, of } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { baseName, joinPath, parentPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { curatorInstanceData, parseUriSpec } from './curator-instance.js';
import { EphemeralRegistration } from './ephemeral-registration.js';
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
  const path = checkRegistration(base, instance, 'register');
  return new Observable<RegistrationState>((subscriber) => {
    const { states$, withdraw } = registration(zk, path, instance, options);
    const subscription = states$.subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      void withdraw().catch(() => undefined);
    };
  });
}

/**
 * One registration at `path`, for {@link register} and `registerInstance`: its states while
 * `states$` is subscribed, and `withdraw()`, which deletes the node and resolves once it is gone.
 */
export function registration(
  zk: ZkClient,
  path: string,
  instance: ServiceRegistration,
  options: RegisterOptions,
): { states$: Observable<RegistrationState>; withdraw: () => Promise<void> } {
  // The base is the path's parent, or its grandparent under Curator's <base>/<name>/<id>.
  const data =
    instance.format === 'curator'
      ? () => curatorInstanceData(instance, instance.name ?? baseName(parentPath(path)), Date.now())
      : () => instanceData(instance, Date.now());
  const node = new EphemeralRegistration(zk, path, data, options.onStale ?? 'wait', 'register');
  const view = (state: RegistrationState['state']): RegistrationState => ({ state, path });
  const states$ = zk.state$.pipe(
    whileLive(
      () =>
        concat(
          of(view('registering')),
          node.claim$().pipe(map((outcome) => view(outcome === 'mine' ? 'registered' : 'waiting-for-stale'))),
        ),
      (connection) => view(connection === 'suspended' ? 'suspended' : 'registering'),
    ),
    distinctUntilChanged((a, b) => a.state === b.state),
  );
  return { states$, withdraw: () => node.withdraw() };
}

/**
 * Checks a registration's arguments and returns its node's path.
 *
 * @throws InvalidPathError, InvalidArgumentError naming `what`.
 */
export function checkRegistration(base: string, instance: ServiceRegistration, what: string): string {
  validatePath(base, what);
  if (!instance || typeof instance !== 'object') throw new InvalidArgumentError(`${what}: instance must be an object`);
  if (typeof instance.id !== 'string' || instance.id === '' || instance.id.includes('/')) {
    throw new InvalidArgumentError(`${what}: instance.id must be a non-empty string without "/", got ${JSON.stringify(instance.id)}`);
  }
  if (typeof instance.host !== 'string' || instance.host === '') {
    throw new InvalidArgumentError(`${what}: instance.host must be a non-empty string, got ${JSON.stringify(instance.host)}`);
  }
  if (!Number.isInteger(instance.port) || instance.port < 0 || instance.port > 65535) {
    throw new InvalidArgumentError(`${what}: instance.port must be an integer from 0 to 65535, got ${String(instance.port)}`);
  }
  try {
    JSON.stringify(instance.payload ?? null);
  } catch (error) {
    throw new InvalidArgumentError(`${what}: instance.payload must be JSON-serializable`, { cause: error });
  }
  checkCuratorFields(instance, what);
  if (instance.format === 'curator' && instance.name === undefined && base === '/') {
    throw new InvalidArgumentError(`${what} /: format 'curator' needs a service name (the name option, or a base below /)`);
  }
  const path = instancePath(base, instance);
  validatePath(path, what);
  return path;
}

/** The instance's node: `<base>/<id>`, or Curator's `<base>/<name>/<id>` when a name is given. */
function instancePath(base: string, instance: ServiceRegistration): string {
  return instance.format === 'curator' && instance.name !== undefined
    ? joinPath(joinPath(base, instance.name), instance.id)
    : joinPath(base, instance.id);
}

function checkCuratorFields(instance: ServiceRegistration, what: string): void {
  const { format, name, sslPort, uriSpec } = instance;
  if (format !== undefined && format !== 'rxzk' && format !== 'curator') {
    throw new InvalidArgumentError(`${what}: instance.format must be 'rxzk' or 'curator', got ${JSON.stringify(format)}`);
  }
  if (format !== 'curator') {
    const extra = (['name', 'sslPort', 'uriSpec'] as const).find((key) => instance[key] !== undefined);
    if (extra) throw new InvalidArgumentError(`${what}: instance.${extra} is a field of format 'curator' (Curator's ServiceInstance)`);
    return;
  }
  if (name !== undefined && (typeof name !== 'string' || name === '' || name.includes('/'))) {
    throw new InvalidArgumentError(`${what}: instance.name must be a non-empty string without "/", got ${JSON.stringify(name)}`);
  }
  if (sslPort !== undefined && (!Number.isInteger(sslPort) || sslPort < 0 || sslPort > 65535)) {
    throw new InvalidArgumentError(`${what}: instance.sslPort must be an integer from 0 to 65535, got ${String(sslPort)}`);
  }
  if (uriSpec !== undefined) {
    if (typeof uriSpec !== 'string') throw new InvalidArgumentError(`${what}: instance.uriSpec must be a string, got ${JSON.stringify(uriSpec)}`);
    parseUriSpec(uriSpec);
  }
}
