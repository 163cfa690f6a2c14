import type { ZkClient } from '../client/zk-client.js';
import { AbortError } from '../errors/recipe-errors.js';
import { ClientClosedError } from '../errors/zk-error.js';
import { checkSignal } from '../recipes/recipe-arguments.js';
import { checkRegistration, registration, type RegisterOptions, type RegistrationState } from '../recipes/register.js';
import type { ServiceRegistration } from '../recipes/service-instance.js';
import { hold } from './hold.js';

/** Options of {@link registerInstance}. */
export interface RegisterInstanceOptions extends RegisterOptions {
  /**
   * Stop waiting when this signal aborts (e.g. while a stale node of an earlier incarnation is
   * waited out): the registration is withdrawn, then the promise rejects with an
   * {@link AbortError}. Once registered, it no longer matters: `deregister()` instead.
   */
  signal?: AbortSignal;
}

/** A service instance registered by async/await code: what {@link registerInstance} resolves with. */
export interface InstanceRegistration {
  /** The instance node, `<base>/<id>`. */
  readonly path: string;
  /**
   * Where the registration stands now: `registered`, or `suspended`, `registering`,
   * `waiting-for-stale` while it recovers by itself (it registers again on every new session).
   */
  readonly state: RegistrationState['state'] | 'deregistered';
  /** Deletes the instance node and resolves once it is gone. Calling it again resolves the same way. */
  deregister(): Promise<void>;
  /** `deregister()`, for `await using registration = await registerInstance(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Registers `instance` under `base` and resolves with an {@link InstanceRegistration} once its
 * node is there: the async/await form of {@link register} (a thin handle over its stream). It
 * stays registered, on every new session too, until `deregister()` or the client is closed.
 *
 * ## Example
 * ```ts
 * import { connect, registerInstance } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * await using registration = await registerInstance(zk, '/services/api', { id: 'a1', host: '10.0.0.1', port: 8080 });
 * console.log(registration.path, registration.state);
 * // Logs: /services/api/a1 registered
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path, instance or signal.
 */
export function registerInstance(
  zk: ZkClient,
  base: string,
  instance: ServiceRegistration,
  options: RegisterInstanceOptions = {},
): Promise<InstanceRegistration> {
  const path = checkRegistration(base, instance, 'registerInstance');
  const signal = checkSignal(options?.signal, 'registerInstance');
  const what = `registerInstance ${path}`;
  let state: RegistrationState['state'] = 'registering';
  return hold<RegistrationState>({
    ...registration(zk, path, instance, options),
    reached: (s) => s.state === 'registered',
    // It recovers by itself; only the end of the states (a closed client) ends it.
    lost: () => false,
    lostError: (cause) => new ClientClosedError(`${what}: the client was closed`, { path, cause }),
    closedError: () => new ClientClosedError(`${what}: the client was closed`, { path }),
    abortError: (reason) => new AbortError(`${what}: aborted while registering; withdrew`, { path, cause: reason }),
    signal,
    onState: (s) => (state = s.state),
  }).then((held) => ({
    path,
    get state() {
      return held.released ? 'deregistered' : state;
    },
    deregister: held.release,
    [Symbol.asyncDispose]: held.release,
  }));
}
