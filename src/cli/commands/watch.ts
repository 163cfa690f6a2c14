import { Command } from 'commander';
import { validatePath, type ZkClient } from '../../index.js';
import { contextOf, follow, integer, type CliContext } from '../cli-context.js';
import { clockTime, dataPreview, nodeToJson } from '../format.js';

export function watchCommand(): Command {
  return new Command('watch')
    .description("print a node's data now and on every change, until Ctrl-C")
    .argument('<path>', 'the znode (it need not exist yet)')
    .option('-n, --count <n>', 'stop after this many values (the current one included)', integer('--count', 1))
    .action(async (path: string, options: { count?: number }, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'watch');
      await cli.withClient(async (zk) => {
        reportConnection(cli, zk);
        await follow(
          zk.data$(path),
          (node) => {
            const time = new Date();
            cli.emit(
              node ? { time: time.toISOString(), ...nodeToJson(node) } : { time: time.toISOString(), path, data: null, stat: null },
              () =>
                `${cli.paint('dim', clockTime(time))}  ${cli.paint('cyan', path)}  ${
                  node
                    ? `${dataPreview(node.data, 200)}  ${cli.paint('dim', `version ${node.stat.version}`)}`
                    : cli.paint('yellow', '(does not exist)')
                }`,
            );
          },
          options.count,
        );
      }, { noteMissingNamespace: true });
    });
}

/**
 * Tells the person watching (on stderr) when the connection drops and comes back, so a quiet
 * stream is never mistaken for a quiet node.
 */
export function reportConnection(cli: CliContext, zk: ZkClient): void {
  let first = true;
  zk.state$.subscribe((state) => {
    if (first || state === 'closed') {
      first = false;
      return;
    }
    const color = state === 'connected' || state === 'reconnected' ? 'green' : state === 'suspended' ? 'yellow' : 'red';
    cli.note(`${clockTime()}  connection ${cli.paintErr(color, state)}`);
  });
}
