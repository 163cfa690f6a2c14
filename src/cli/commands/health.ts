import { Command } from 'commander';
import { exhaustMap, timer } from 'rxjs';
import { serversOf } from '../../admin/connect-string.js';
import { checkServerHealth, type ServerHealth } from '../../admin/server-health.js';
import { CliExit, contextOf, follow, integer, type CliContext } from '../cli-context.js';
import { clockTime, hex } from '../format.js';

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

/** Every server's health, asked at once. */
function checkAll(servers: readonly string[], timeoutMs: number): Promise<ServerHealth[]> {
  return Promise.all(servers.map((server) => checkServerHealth(server, { timeoutMs })));
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
