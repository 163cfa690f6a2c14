import { Command } from 'commander';
import { exhaustMap, timer } from 'rxjs';
import { fourLetter, parseMntr, parseSrvr, serversOf } from '../../index.js';
import { CliExit, contextOf, follow, integer, type CliContext } from '../cli-context.js';
import { clockTime, hex } from '../format.js';

/** One server's health, from `ruok`, `srvr` and `mntr`. */
export interface ServerHealth {
  server: string;
  ok: boolean;
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
  error?: { name: string; message: string };
}

export function healthCommand(): Command {
  return new Command('health')
    .description("each server's mode, latency, outstanding requests, connections, znodes and watches (ruok, srvr, mntr)")
    .option('-w, --watch', 'check again every --interval seconds, until Ctrl-C')
    .option('-i, --interval <seconds>', 'seconds between checks with --watch', integer('--interval', 1), 2)
    .action(async (options: { watch?: boolean; interval: number }, command: Command) => {
      const cli = contextOf(command);
      const servers = serversOf(cli.options.connect);
      if (!options.watch) {
        const results = await checkAll(servers, cli.options.timeout);
        results.forEach((h) => printHealth(cli, h));
        if (results.some((h) => !h.ok)) throw new CliExit(1);
        return;
      }
      // Each round is stamped with the moment it was asked, so a log of it reads as a timeline.
      await follow(
        timer(0, options.interval * 1000).pipe(
          exhaustMap(() => {
            const time = new Date();
            return checkAll(servers, cli.options.timeout).then((results) => ({ time, results }));
          }),
        ),
        ({ time, results }) => results.forEach((h) => printHealth(cli, h, time)),
      );
    });
}

/** The `host:port` addresses of a connect string (its chroot suffix, if any, dropped). */
export function checkAll(servers: readonly string[], timeoutMs: number): Promise<ServerHealth[]> {
  return Promise.all(servers.map((server) => checkServer(server, timeoutMs)));
}

export async function checkServer(server: string, timeoutMs: number): Promise<ServerHealth> {
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

function printHealth(cli: CliContext, h: ServerHealth, time?: Date): void {
  const stamp = time ? `${clockTime(time)}  ` : '';
  const record = time ? { time: time.toISOString(), ...h } : h;
  if (h.error) {
    // The failure goes to stderr as the one-line error; --json also gets the record.
    cli.error(h.error, stamp);
    if (cli.json) cli.emit(record, () => '');
    return;
  }
  cli.emit(record, () => {
    const mode = cli.paint(h.ok ? 'green' : 'red', h.mode ?? '?');
    const l = h.latencyMs!;
    const rows = [
      `${cli.paint('dim', stamp)}${cli.paint('bold', h.server)}  ${mode}  ${cli.paint('dim', `ZooKeeper ${h.version}`)}`,
      `  latency      min ${l.min} / avg ${l.avg} / max ${l.max} ms`,
      `  requests     ${h.outstanding} outstanding, ${h.connections} connections`,
      `  data         ${h.znodes} znodes, ${h.ephemerals ?? '?'} ephemeral, ${h.watches ?? '?'} watches, zxid ${hex(h.zxid ?? 0n)}`,
    ];
    if (h.followers !== undefined) rows.push(`  followers    ${h.syncedFollowers ?? '?'} of ${h.followers} in sync`);
    return rows.join('\n');
  });
}
