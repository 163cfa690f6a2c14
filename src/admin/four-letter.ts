import { isIP, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { FourLetterError } from '../errors/tool-errors.js';
import { parseAddress } from './connect-string.js';

/** The four-letter admin commands rxzk knows how to send and parse. */
export type FourLetterCommand =
  | 'ruok'
  | 'srvr'
  | 'stat'
  | 'mntr'
  | 'conf'
  | 'cons'
  | 'envi'
  | 'wchs'
  | 'wchc'
  | 'wchp'
  | 'dump'
  | 'isro';

/** Options for {@link fourLetter}. */
export interface FourLetterOptions {
  /** Give up after this many milliseconds. Default 5000. */
  timeoutMs?: number;
  /**
   * Ask over TLS, with these options (`ca`, `cert`, `key`...): for a server's secure client port,
   * which speaks only TLS.
   */
  tls?: ConnectionOptions | undefined;
}

/**
 * Sends one four-letter admin command to a ZooKeeper server and resolves with its raw reply.
 *
 * The server must allow the command (`4lw.commands.whitelist`). A server that does not allow it
 * answers with a line saying so; that reply is returned as a rejection with {@link FourLetterError}.
 *
 * ## Example
 * ```ts
 * import { fourLetter, parseSrvr } from 'rxzk';
 * const srvr = parseSrvr(await fourLetter('127.0.0.1:2181', 'srvr'));
 * console.log(srvr.mode);
 * // Logs: standalone
 * ```
 *
 * @param address `host:port` of one server.
 * @param command The command, e.g. `'mntr'`.
 * @returns The reply text.
 */
export function fourLetter(
  address: string,
  command: FourLetterCommand,
  options: FourLetterOptions = {},
): Promise<string> {
  const { host, port } = parseAddress(address);
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = options.tls
      ? tlsConnect({ ...(isIP(host) ? {} : { servername: host }), ...options.tls, host, port })
      : tcpConnect({ host, port });
    const fail = (message: string, cause?: unknown) => {
      socket.destroy();
      reject(new FourLetterError(`${command} to ${address}: ${message}`, address, command, { cause }));
    };
    socket.setTimeout(timeoutMs, () => fail(`no complete reply within ${timeoutMs} ms`));
    // The server answers and closes. Over TCP the request side is closed at once; over TLS
    // that would be a close_notify, after which the other end may stop sending.
    if (options.tls) socket.on('secureConnect', () => socket.write(command));
    else socket.on('connect', () => socket.end(command));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (err) => fail(err.message, err));
    socket.on('close', (hadError) => {
      if (hadError) return;
      const reply = Buffer.concat(chunks).toString('utf8');
      if (/is not executed because it is not in the whitelist/.test(reply)) {
        fail('the server does not allow this command (add it to 4lw.commands.whitelist)');
      } else {
        resolve(reply);
      }
    });
  });
}

/** Parsed `srvr` reply. */
export interface ServerStatus {
  /** `standalone`, `leader`, `follower`, `observer`, or `not-serving` while the server has no quorum. */
  mode: 'standalone' | 'leader' | 'follower' | 'observer' | 'read-only' | 'not-serving' | string;
  version: string;
  latencyMinMs: number;
  latencyAvgMs: number;
  latencyMaxMs: number;
  received: number;
  sent: number;
  connections: number;
  outstanding: number;
  /** Last zxid the server processed, as a bigint. */
  zxid: bigint;
  nodeCount: number;
}

/**
 * Parses the reply of `srvr` (or `stat`) into a {@link ServerStatus}.
 * A server without quorum answers "not currently serving requests": its mode is `'not-serving'`.
 */
export function parseSrvr(reply: string): ServerStatus {
  if (/not currently serving requests/.test(reply)) {
    return {
      mode: 'not-serving',
      version: '',
      latencyMinMs: 0,
      latencyAvgMs: 0,
      latencyMaxMs: 0,
      received: 0,
      sent: 0,
      connections: 0,
      outstanding: 0,
      zxid: 0n,
      nodeCount: 0,
    };
  }
  const fields = new Map<string, string>();
  for (const line of reply.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) fields.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  const latency = (fields.get('Latency min/avg/max') ?? '0/0/0').split('/').map(Number);
  const version = fields.get('Zookeeper version') ?? '';
  return {
    mode: fields.get('Mode') ?? 'unknown',
    version: version.split(/[-,]/)[0] ?? version,
    latencyMinMs: latency[0] ?? 0,
    latencyAvgMs: latency[1] ?? 0,
    latencyMaxMs: latency[2] ?? 0,
    received: Number(fields.get('Received') ?? 0),
    sent: Number(fields.get('Sent') ?? 0),
    connections: Number(fields.get('Connections') ?? 0),
    outstanding: Number(fields.get('Outstanding') ?? 0),
    zxid: BigInt(fields.get('Zxid') ?? '0'),
    nodeCount: Number(fields.get('Node count') ?? 0),
  };
}

/**
 * Parses the reply of `mntr` into a map from metric name (without the `zk_` prefix) to value.
 * Numeric values become numbers; others (`server_state`, `version`) stay strings.
 */
export function parseMntr(reply: string): Map<string, number | string> {
  const metrics = new Map<string, number | string>();
  for (const line of reply.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const key = line.slice(0, tab).replace(/^zk_/, '');
    const raw = line.slice(tab + 1).trim();
    const num = Number(raw);
    metrics.set(key, raw !== '' && Number.isFinite(num) ? num : raw);
  }
  return metrics;
}
