import { Observable, type OperatorFunction } from 'rxjs';
import type { ZNode } from '../client/stat.js';
import { decodeJson, DataDecodeError } from '../operators/codecs.js';

/** What an instance registers: where it can be reached, and anything else as `payload`. */
export interface ServiceRegistration {
  /** Unique within the service: the instance node is `<base>/<id>`. */
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** Anything JSON can hold. */
  readonly payload?: unknown;
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
 */
export function serviceInstances(
  onInvalid: (error: DataDecodeError) => void,
): OperatorFunction<ReadonlyMap<string, ZNode>, ServiceInstance[]> {
  return (source) =>
    new Observable<ServiceInstance[]>((subscriber) => {
      const reported = new Set<string>();
      return source.subscribe({
        next(nodes) {
          const instances: ServiceInstance[] = [];
          for (const node of nodes.values()) {
            try {
              instances.push(toInstance(node));
            } catch (error) {
              const key = `${node.path}@${node.stat.czxid}:${node.stat.mzxid}`;
              if (!reported.has(key)) {
                reported.add(key);
                onInvalid(error as DataDecodeError);
              }
            }
          }
          instances.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
          subscriber.next(instances);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}

function toInstance(node: ZNode): ServiceInstance {
  const data = decodeJson<Record<string, unknown>>(node);
  const { id, host, port, payload, registeredAt } = (data ?? {}) as Record<string, unknown>;
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
      JSON.stringify(x.payload) === JSON.stringify(y.payload)
    );
  });
}
