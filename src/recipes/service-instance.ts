import type { OperatorFunction } from 'rxjs';
import type { ZNode } from '../model/stat.js';
import { decodeJson, DataDecodeError } from '../operators/codecs.js';
import { formatUriSpec, looksLikeCurator, readCuratorInstance } from './curator-instance.js';
import { decodedChildren } from './operators/decoded-children.js';

/** How an instance node is written: rxzk's JSON, or Curator x-discovery's `ServiceInstance`. */
export type InstanceFormat = 'rxzk' | 'curator';

/** Every {@link InstanceFormat}. */
export const INSTANCE_FORMATS: readonly InstanceFormat[] = Object.freeze(['rxzk', 'curator']);

/** What an instance registers: where it can be reached, and anything else as `payload`. */
export interface ServiceRegistration {
  /** Unique within the service: the instance node is `<base>/<id>`. */
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** Anything JSON can hold. */
  readonly payload?: unknown;
  /**
   * `'rxzk'` (default) writes `{ id, host, port, payload, registeredAt }`; `'curator'` writes the
   * `ServiceInstance` JSON of Curator's x-discovery (`address` is `host`), so that Curator's
   * `ServiceDiscovery` lists this instance.
   */
  readonly format?: InstanceFormat;
  /**
   * With `format: 'curator'`: the service's name. Given, `base` is Curator's base path and the
   * node is `<base>/<name>/<id>`; omitted, `base` is the service's own node (`<basePath>/<name>`)
   * and its last segment is the name.
   */
  readonly name?: string;
  /** With `format: 'curator'`: Curator's `sslPort`. */
  readonly sslPort?: number;
  /** With `format: 'curator'`: Curator's `uriSpec`, as a template (`"{scheme}://{address}:{port}"`). */
  readonly uriSpec?: string;
}

/** A live instance of a service, as `discover` reports it. */
export interface ServiceInstance {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly payload: unknown;
  /** The instance node. */
  readonly path: string;
  /** When it registered (ms since the epoch), as the instance said. */
  readonly registeredAt: number | null;
  /** How the node was written; Curator's carry the fields below. */
  readonly format?: InstanceFormat;
  /** Curator's service name. */
  readonly name?: string | null;
  /** Curator's `sslPort`. */
  readonly sslPort?: number | null;
  /** Curator's `serviceType` (`DYNAMIC` for an ephemeral registration). */
  readonly serviceType?: string;
  /** Curator's `uriSpec`, as its template. */
  readonly uriSpec?: string | null;
}

/** The JSON an instance node holds. */
export function instanceData(registration: ServiceRegistration, registeredAt: number): string {
  const { id, host, port, payload } = registration;
  return JSON.stringify({ id, host, port, payload: payload ?? null, registeredAt });
}

/**
 * Decodes instance nodes into {@link ServiceInstance}s sorted by id. A node that is not valid JSON
 * or lacks `id`/`host`/`port` is reported to `onInvalid` (once per version of the node) and
 * skipped; the stream goes on.
 *
 * @param format Which instances to accept: rxzk's, Curator's (its `address` is `host`), or both
 *   (default: the JSON says which). One of the other format is reported as invalid.
 */
export function serviceInstances(
  onInvalid: (error: DataDecodeError) => void,
  format?: InstanceFormat,
): OperatorFunction<ReadonlyMap<string, ZNode>, ServiceInstance[]> {
  return decodedChildren((_name, node) => toInstance(node, format), onInvalid);
}

function toInstance(node: ZNode, format: InstanceFormat | undefined): ServiceInstance {
  const data = (decodeJson<Record<string, unknown>>(node) ?? {}) as Record<string, unknown>;
  const curator = typeof data === 'object' && looksLikeCurator(data);
  if (format !== undefined && curator !== (format === 'curator')) {
    throw new DataDecodeError(`${node.path}: not a service instance in ${format}'s format (it is in ${curator ? 'curator' : 'rxzk'}'s)`, {
      path: node.path,
    });
  }
  if (curator) {
    const c = readCuratorInstance(node, data);
    return {
      id: c.id,
      host: c.address,
      port: c.port!,
      payload: c.payload,
      path: node.path,
      registeredAt: c.registrationTimeUTC,
      format: 'curator',
      name: c.name,
      sslPort: c.sslPort,
      serviceType: c.serviceType,
      uriSpec: c.uriSpec && formatUriSpec(c.uriSpec.parts),
    };
  }
  const { id, host, port, payload, registeredAt } = data;
  if (typeof id !== 'string' || typeof host !== 'string' || typeof port !== 'number' || !Number.isInteger(port)) {
    throw new DataDecodeError(`${node.path}: not a service instance (needs string id and host, integer port)`, {
      path: node.path,
    });
  }
  return {
    id,
    host,
    port,
    payload: payload ?? null,
    path: node.path,
    registeredAt: typeof registeredAt === 'number' ? registeredAt : null,
    format: 'rxzk',
  };
}

/** Whether two instance lists are the same (ids, addresses and payloads). */
export function sameInstances(a: readonly ServiceInstance[], b: readonly ServiceInstance[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return (
      x.id === y.id &&
      x.host === y.host &&
      x.port === y.port &&
      x.path === y.path &&
      x.registeredAt === y.registeredAt &&
      x.format === y.format &&
      x.name === y.name &&
      x.sslPort === y.sslPort &&
      x.serviceType === y.serviceType &&
      x.uriSpec === y.uriSpec &&
      JSON.stringify(x.payload) === JSON.stringify(y.payload)
    );
  });
}
