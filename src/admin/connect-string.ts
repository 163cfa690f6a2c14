import { InvalidArgumentError } from '../errors/zk-error.js';

/** A connect string taken apart: `host:port,host:port/namespace`. */
export interface ConnectString {
  /** Every server's `host:port` (IPv6 in brackets), trimmed, in the order written. */
  readonly servers: readonly string[];
  /** The namespace suffix as written (`/apps/billing`, or `/`), if there is one. */
  readonly namespace: string | undefined;
}

/**
 * Takes a connect string apart as ZooKeeper's own clients do: servers separated by commas, each
 * `host:port` (an IPv6 host in brackets), then an optional `/namespace` suffix. Checks every server
 * and its port (1 to 65535); the namespace is returned as written, for the caller to check as a
 * path.
 *
 * @param what The call, named first in the messages (`'connect'`).
 * @throws InvalidArgumentError naming the server that is not `host:port`, or when the string is empty.
 */
export function parseConnectString(connectString: unknown, what = 'connect'): ConnectString {
  if (typeof connectString !== 'string' || connectString.trim() === '') {
    throw new InvalidArgumentError(`${what}: expected a connect string like "127.0.0.1:2181", got ${JSON.stringify(connectString)}`);
  }
  const { hosts, namespace } = split(connectString);
  const servers = hosts.map((s) => s.trim());
  for (const server of servers) {
    const match = /^[^:\s[\]]+:(\d{1,5})$/.exec(server) ?? /^\[[0-9a-fA-F:]+\]:(\d{1,5})$/.exec(server);
    if (!match) throw new InvalidArgumentError(`${what}: "${server}" in the connect string is not host:port`);
    const port = Number(match[1]);
    if (port < 1 || port > 65_535) {
      throw new InvalidArgumentError(`${what}: "${server}" in the connect string has port ${port}; a port is 1 to 65535`);
    }
  }
  return { servers, namespace };
}

/**
 * The `host:port` addresses of a connect string, without its namespace suffix: what to ask
 * `fourLetter` about. Lenient where {@link parseConnectString} is strict: empty entries are
 * skipped and nothing is checked, so `serversOf('')` is `[]`.
 * `serversOf('a:2181, b:2181/app')` is `['a:2181', 'b:2181']`.
 */
export function serversOf(connectString: string): string[] {
  return split(connectString)
    .hosts.map((s) => s.trim())
    .filter(Boolean);
}

/** Splits `host:port` (IPv6 in brackets allowed). */
export function parseAddress(address: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim());
  if (!match) throw new TypeError(`expected host:port, got '${address}'`);
  return { host: match[1] as string, port: Number(match[2]) };
}

/** The servers part, split at its commas, and the namespace suffix (from the first `/` on). */
function split(connectString: string): { hosts: string[]; namespace: string | undefined } {
  const trimmed = connectString.trim();
  const slash = trimmed.indexOf('/');
  const hosts = slash < 0 ? trimmed : trimmed.slice(0, slash);
  return { hosts: hosts.split(','), namespace: slash < 0 ? undefined : trimmed.slice(slash) };
}
