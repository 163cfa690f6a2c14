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
import { concat, distinctUntilChanged, map, of, pipe, type Observable } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { baseName, joinPath, parentPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { curatorInstanceData, parseUriSpec } from './curator-instance.js';
import { EphemeralRegistration } from './ephemeral-registration.js';
import { participate, participation, type Participation } from './participation.js';
import { checkArgument, checkJson, checkNodeName, checkNonEmptyString, checkOneOf, checkPort } from './recipe-arguments.js';
import { instanceData, INSTANCE_FORMATS, type ServiceRegistration } from './service-instance.js';

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
  return participate(() => registration(zk, path, instance, options));
}

/**
 * One registration at `path` on the participation shell, for {@link register} and
 * `registerInstance`: its states while `states$` is subscribed, and `withdraw()`, which deletes
 * the node and resolves once it is gone.
 */
export function registration(
  zk: ZkClient,
  path: string,
  instance: ServiceRegistration,
  options: RegisterOptions,
): Participation<RegistrationState> {
  // The base is the path's parent, or its grandparent under Curator's <base>/<name>/<id>.
  const data =
    instance.format === 'curator'
      ? () => curatorInstanceData(instance, instance.name ?? baseName(parentPath(path)), Date.now())
      : () => instanceData(instance, Date.now());
  const node = new EphemeralRegistration(zk, path, data, options.onStale ?? 'wait', 'register');
  const claims = {
    report$: (session: string): Observable<RegistrationState['state']> =>
      concat(
        of('registering' as const),
        node.report$(session).pipe(map((outcome) => (outcome === 'mine' ? 'registered' : 'waiting-for-stale'))),
      ),
    withdraw: () => node.withdraw(),
  };
  return participation(zk, claims, {
    notLive: (connection) => (connection === 'suspended' ? 'suspended' : 'registering'),
    states: pipe(
      distinctUntilChanged(),
      map((state): RegistrationState => ({ state, path })),
    ),
  });
}

/**
 * Checks a registration's arguments and returns its node's path.
 *
 * @throws InvalidPathError, InvalidArgumentError naming `what`.
 */
export function checkRegistration(base: string, instance: ServiceRegistration, what: string): string {
  validatePath(base, what);
  if (!instance || typeof instance !== 'object') throw new InvalidArgumentError(`${what}: instance must be an object`);
  checkNodeName(instance.id, what, 'instance.id');
  checkNonEmptyString(instance.host, what, 'instance.host');
  checkPort(instance.port, what, 'instance.port');
  checkJson(instance.payload, what, 'instance.payload');
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
  if (format !== undefined) checkOneOf(format, INSTANCE_FORMATS, what, 'instance.format');
  if (format !== 'curator') {
    const extra = (['name', 'sslPort', 'uriSpec'] as const).find((key) => instance[key] !== undefined);
    if (extra) throw new InvalidArgumentError(`${what}: instance.${extra} is a field of format 'curator' (Curator's ServiceInstance)`);
    return;
  }
  if (name !== undefined) checkNodeName(name, what, 'instance.name');
  if (sslPort !== undefined) checkPort(sslPort, what, 'instance.sslPort');
  if (uriSpec !== undefined) {
    checkArgument(typeof uriSpec === 'string', uriSpec, what, 'instance.uriSpec', 'a string');
    parseUriSpec(uriSpec);
  }
}
