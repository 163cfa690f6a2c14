import { Command } from 'commander';
import { firstValueFrom } from 'rxjs';
import { election$, validatePath, type ElectionView } from '../../index.js';
import { contextOf, follow, type CliContext } from '../cli-context.js';
import { clockTime } from '../format.js';
import { reportConnection } from './watch.js';

export function leaderCommand(): Command {
  return new Command('leader')
    .description('show who leads an election (as leadership() runs it) and the candidates in line, without standing')
    .argument('<path>', 'the election node, e.g. /election/scheduler')
    .option('-w, --watch', 'print again whenever the leader or the line changes, until Ctrl-C')
    .action(async (path: string, options: { watch?: boolean }, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'leader');
      await cli.withClient(async (zk) => {
        if (!options.watch) {
          printElection(cli, path, await firstValueFrom(election$(zk, path)));
          return;
        }
        reportConnection(cli, zk);
        await follow(election$(zk, path), (view) => printElection(cli, path, view, new Date()));
      }, { noteMissingNamespace: true });
    });
}

function printElection(cli: CliContext, path: string, view: ElectionView, time?: Date): void {
  const { leaderId, candidates } = view;
  cli.emit({ ...(time ? { time: time.toISOString() } : {}), path, leaderId, candidates }, () => {
    const leader = leaderId === null ? cli.paint('yellow', '(none)') : cli.paint('green', leaderId);
    const line = candidates.length === 0 ? '(none)' : candidates.join(', ');
    if (time) return `${cli.paint('dim', clockTime(time))}  ${cli.paint('cyan', path)}  leader ${leader}  candidates ${line}`;
    return `${cli.paint('dim', 'leader     ')} ${leader}\n${cli.paint('dim', 'candidates ')} ${line}`;
  });
}
