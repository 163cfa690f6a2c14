/**
 * Service discovery: the live instances of a service, kept current.
 *
 * The ZooKeeper algorithm:
 * 1. Watch the service node's children (one child per registered instance, ephemeral).
 * 2. Watch each instance node's data while it is there; decode it as JSON.
 * 3. Emit the decoded instances, sorted by id, whenever the set or any instance changes.
 *
 * Caveats: an instance that crashed stays listed until the server expires its session (up to a
 * session timeout). A malformed instance node is reported and skipped; the stream goes on.
 * Curator x-discovery's instances (`<basePath>/<name>/<id>`) are read too: discover
 * `<basePath>/<name>`.
 */
import { distinctUntilChanged, type Observable } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import type { DataDecodeError } from '../operators/codecs.js';
import { validatePath } from '../paths/validate-path.js';
import { childrenData } from '../client/children-data.js';
import { checkOneOf } from './recipe-arguments.js';
import { INSTANCE_FORMATS, sameInstances, serviceInstances, type InstanceFormat, type ServiceInstance } from './service-instance.js';

/** Options of {@link discover}. */
export interface DiscoverOptions {
  /**
   * Which instances to list: `'rxzk'` only rxzk's, `'curator'` only Curator x-discovery's
   * `ServiceInstance`s (`address` becomes `host`; `sslPort`, `payload`, `serviceType` and
   * `uriSpec` are kept), or both when omitted (each node's JSON says which it is). An instance of
   * the other format is reported as invalid.
   */
  format?: InstanceFormat;
  /**
   * Told about each instance node that cannot be decoded (once per version). Default: a process
   * warning (`process.emitWarning`).
   */
  onInvalid?: (error: DataDecodeError) => void;
}

/**
 * The live instances of the service at `base`, sorted by id: updates when instances come, go or
 * change. Hot per subscription, built on shared `children$`/`data$` streams.
 *
 * ## Example
 * ```ts
 * import { connect, discover } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * discover(zk, '/services/api').subscribe((instances) =>
 *   console.log(instances.map((i) => `${i.host}:${i.port}`)),
 * );
 * // Logs: [ '10.0.0.1:8080', '10.0.0.2:8080' ]
 * ```
 *
 * @throws InvalidPathError at once for a bad path.
 */
export function discover(zk: ZkClient, base: string, options: DiscoverOptions = {}): Observable<ServiceInstance[]> {
  validatePath(base, 'discover');
  const format = options.format;
  if (format !== undefined) checkOneOf(format, INSTANCE_FORMATS, `discover ${base}`, 'format');
  const onInvalid =
    options.onInvalid ?? ((error: DataDecodeError) => process.emitWarning(`discover: skipped ${error.message}`, 'RxzkWarning'));
  return childrenData(zk, base).pipe(serviceInstances(onInvalid, format), distinctUntilChanged<ServiceInstance[]>(sameInstances));
}
