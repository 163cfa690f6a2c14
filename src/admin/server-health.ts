import { fourLetter, parseMntr, parseSrvr } from './four-letter.js';

/** One server's health, from `ruok`, `srvr` and `mntr`. */
export interface ServerHealth {
  /** `host:port` of the server asked. */
  server: string;
  /** It answered `imok` to `ruok` and serves requests (it is not waiting for a quorum). */
  ok: boolean;
  /** `standalone`, `leader`, `follower`, `observer`, `read-only`, or `not-serving`; absent when it did not answer. */
  mode?: string;
  version?: string;
  latencyMs?: { min: number; avg: number; max: number };
  outstanding?: number;
  connections?: number;
  znodes?: number;
  ephemerals?: number;
  watches?: number;
  dataBytes?: number;
  zxid?: bigint;
  /** On a leader: followers in sync / all followers. */
  syncedFollowers?: number;
  followers?: number;
  /** Why the server could not be asked (refused, timed out, command not allowed...). */
  error?: { name: string; message: string };
}

/**
 * Asks one server `ruok`, `srvr` and `mntr` at once and sums up its health. Never rejects: a
 * server that cannot be asked is reported with `ok: false` and the `error` that says why.
 *
 * @param server `host:port` of one server.
 * @param options.timeoutMs How long each command may take. Default 5000.
 */
export async function checkServerHealth(server: string, options: { timeoutMs?: number } = {}): Promise<ServerHealth> {
  const timeoutMs = options.timeoutMs ?? 5000;
  try {
    const [ruok, srvr, mntr] = await Promise.all([
      fourLetter(server, 'ruok', { timeoutMs }),
      fourLetter(server, 'srvr', { timeoutMs }).then(parseSrvr),
      fourLetter(server, 'mntr', { timeoutMs }).then(parseMntr),
    ]);
    const metric = (name: string) => {
      const value = mntr.get(name);
      return typeof value === 'number' ? value : undefined;
    };
    return {
      server,
      ok: ruok.trim() === 'imok' && srvr.mode !== 'not-serving',
      mode: srvr.mode,
      version: srvr.version,
      latencyMs: { min: srvr.latencyMinMs, avg: srvr.latencyAvgMs, max: srvr.latencyMaxMs },
      outstanding: srvr.outstanding,
      connections: srvr.connections,
      znodes: srvr.nodeCount,
      ephemerals: metric('ephemerals_count'),
      watches: metric('watch_count'),
      dataBytes: metric('approximate_data_size'),
      zxid: srvr.zxid,
      ...(srvr.mode === 'leader' ? { syncedFollowers: metric('synced_followers'), followers: metric('followers') } : {}),
    };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return { server, ok: false, error: { name: error.name, message: error.message } };
  }
}
