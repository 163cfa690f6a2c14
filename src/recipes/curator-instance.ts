import type { ZNode } from '../model/stat.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { DataDecodeError } from '../operators/codecs.js';

/**
 * Curator x-discovery's `ServiceInstance`, as its `JsonInstanceSerializer` writes and reads it
 * (the default, compatible mode: no `enabled` field). An instance of service `name` lives at
 * `<basePath>/<name>/<id>`, an ephemeral node for `serviceType` `DYNAMIC`.
 */
export interface CuratorServiceInstance {
  readonly name: string | null;
  readonly id: string;
  readonly address: string;
  readonly port: number | null;
  readonly sslPort: number | null;
  readonly payload: unknown;
  /** ms since the epoch; `null` when an instance read lacks it. */
  readonly registrationTimeUTC: number | null;
  readonly serviceType: string;
  readonly uriSpec: { readonly parts: readonly UriSpecPart[] } | null;
}

/** One piece of a Curator `UriSpec`: a literal, or a `{variable}`. */
export interface UriSpecPart {
  readonly value: string;
  readonly variable: boolean;
}

/**
 * Jackson types Curator's payload (`@JsonTypeInfo(use = CLASS)`): a map carries its class as an
 * `@class` property, a list is wrapped as `[class, [...]]`; strings, numbers and booleans are
 * written as they are. These are the classes Jackson gives plain JSON maps and lists.
 */
const JAVA_MAP = 'java.util.LinkedHashMap';
const JAVA_MAPS = new Set([JAVA_MAP, 'java.util.HashMap', 'java.util.TreeMap']);
const JAVA_LIST = 'java.util.ArrayList';
const JAVA_LISTS = new Set([JAVA_LIST, 'java.util.LinkedList', 'java.util.Arrays$ArrayList']);

/** A payload as Curator's Jackson reads it back (`Object` payload class: maps, lists, scalars). */
export function toCuratorPayload(payload: unknown): unknown {
  if (payload === undefined || payload === null) return null;
  if (Array.isArray(payload)) return [JAVA_LIST, payload];
  if (typeof payload === 'object' && !('@class' in payload)) return { '@class': JAVA_MAP, ...payload };
  return payload;
}

/**
 * A Curator payload as plain JSON: the `@class` of a map Jackson made from plain JSON is dropped
 * and a wrapped list unwrapped; a payload of an application class keeps its `@class`.
 */
export function fromCuratorPayload(payload: unknown): unknown {
  if (Array.isArray(payload)) {
    const [javaClass, list] = payload as unknown[];
    return payload.length === 2 && JAVA_LISTS.has(javaClass as string) && Array.isArray(list) ? list : payload;
  }
  if (payload !== null && typeof payload === 'object') {
    const { '@class': javaClass, ...rest } = payload as Record<string, unknown>;
    return JAVA_MAPS.has(javaClass as string) ? rest : payload;
  }
  return payload ?? null;
}

/**
 * Parses a URI template as Curator's `UriSpec(String)` does: `{name}` is a variable, anything else
 * a literal (`"{scheme}://{address}:{port}"`).
 *
 * @throws InvalidArgumentError for unbalanced braces, naming the template.
 */
export function parseUriSpec(raw: string): UriSpecPart[] {
  const parts: UriSpecPart[] = [];
  let inside = false;
  for (const token of raw.split(/([{}])/)) {
    if (token === '{' || token === '}') {
      if ((token === '{') === inside) {
        const why = token === '{' ? 'a { inside a variable' : 'a } without its {';
        throw new InvalidArgumentError(`uriSpec ${JSON.stringify(raw)}: ${why}`);
      }
      inside = !inside;
    } else if (token !== '') {
      parts.push({ value: inside ? token.trim() : token, variable: inside });
    }
  }
  if (inside) throw new InvalidArgumentError(`uriSpec ${JSON.stringify(raw)}: the last variable is not closed with }`);
  return parts;
}

/** A `UriSpec`'s parts as the template they came from. */
export function formatUriSpec(parts: readonly UriSpecPart[]): string {
  return parts.map((p) => (p.variable ? `{${p.value}}` : p.value)).join('');
}

/** What rxzk registers in Curator's format. */
export interface CuratorRegistration {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly sslPort?: number;
  readonly payload?: unknown;
  readonly uriSpec?: string;
}

/** The JSON of a Curator `ServiceInstance` for service `name`, as Curator's serializer writes it. */
export function curatorInstanceData(registration: CuratorRegistration, name: string, registeredAt: number): string {
  const instance: CuratorServiceInstance = {
    name,
    id: registration.id,
    address: registration.host,
    port: registration.port,
    sslPort: registration.sslPort ?? null,
    payload: toCuratorPayload(registration.payload),
    registrationTimeUTC: registeredAt,
    serviceType: 'DYNAMIC',
    uriSpec: registration.uriSpec === undefined ? null : { parts: parseUriSpec(registration.uriSpec) },
  };
  return JSON.stringify(instance);
}

/** Whether decoded instance JSON is Curator's (it has `address` where rxzk's has `host`). */
export function looksLikeCurator(data: Record<string, unknown>): boolean {
  return 'address' in data && !('host' in data);
}

/**
 * Reads a Curator `ServiceInstance` from its decoded JSON.
 *
 * @throws DataDecodeError naming the node when it is not one rxzk can use (no id, address or port).
 */
export function readCuratorInstance(node: ZNode, data: Record<string, unknown>): CuratorServiceInstance {
  const { name, id, address, port, sslPort, payload, registrationTimeUTC, serviceType, uriSpec } = data;
  const integer = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
  if (typeof id !== 'string' || typeof address !== 'string' || !integer(port)) {
    const why =
      'a Curator instance needs string id and address, and an integer port; one with only an sslPort has no port rxzk can give';
    throw new DataDecodeError(`${node.path}: not a service instance (${why})`, { path: node.path });
  }
  const parts = (uriSpec as { parts?: unknown } | null)?.parts;
  return {
    name: typeof name === 'string' ? name : null,
    id,
    address,
    port: port as number,
    sslPort: integer(sslPort) ? (sslPort as number) : null,
    payload: fromCuratorPayload(payload),
    registrationTimeUTC: typeof registrationTimeUTC === 'number' ? registrationTimeUTC : null,
    serviceType: typeof serviceType === 'string' ? serviceType : 'DYNAMIC',
    uriSpec: Array.isArray(parts)
      ? { parts: parts.filter(isPart).map((p) => ({ value: p.value, variable: p.variable === true })) }
      : null,
  };
}

function isPart(part: unknown): part is UriSpecPart {
  return typeof (part as { value?: unknown } | null)?.value === 'string';
}
