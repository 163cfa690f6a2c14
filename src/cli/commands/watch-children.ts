import { Command } from 'commander';
import { validatePath } from '../../index.js';
import { contextOf, follow, integer } from '../cli-context.js';
import { clockTime } from '../format.js';
import { reportConnection } from './watch.js';

export function watchChildrenCommand(): Command {
  return new Command('watch-children')
    .description("print a node's children now and whenever they change, until Ctrl-C")
    .argument('<path>', 'the znode (it need not exist yet)')
    .option('-n, --count <n>', 'stop after this many lists (the current one included)', integer('--count', 1))
    .action(async (path: string, options: { count?: number }, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'watch-children');
      await cli.withClient(async (zk) => {
        reportConnection(cli, zk);
        // The first list is the starting point; changes are reported from there on.
        let previous: readonly string[] | undefined;
        await follow(
          zk.children$(path),
          (children) => {
            const time = new Date();
            const now = children ?? [];
            const added = previous ? now.filter((c) => !previous!.includes(c)) : [];
            const removed = previous ? previous.filter((c) => !now.includes(c)) : [];
            previous = now;
            cli.emit({ time: time.toISOString(), path, children, added, removed }, () => {
              const list = children ? `[${children.join(', ')}]` : cli.paint('yellow', '(does not exist)');
              const changes = [
                ...added.map((c) => cli.paint('green', `+${c}`)),
                ...removed.map((c) => cli.paint('red', `-${c}`)),
              ].join(' ');
              return `${cli.paint('dim', clockTime(time))}  ${cli.paint('cyan', path)}  ${list}${changes ? `  ${changes}` : ''}`;
            });
          },
          options.count,
        );
      }, { noteMissingNamespace: true });
    });
}
