import { Command } from 'commander';
import { validatePath, type CreateMode } from '../../index.js';
import { contextOf, onInterrupt } from '../cli-context.js';

export function createCommand(): Command {
  return new Command('create')
    .description('create a node and print its path')
    .argument('<path>', 'the znode (for --sequential, the prefix of its name)')
    .argument('[data]', 'its data (UTF-8)', '')
    .option('-e, --ephemeral', 'ephemeral: the node lives as long as this command runs (until Ctrl-C)')
    .option('-s, --sequential', 'append a 10-digit sequence number to the name')
    .option('-p, --parents', 'create missing parents first')
    .action(
      async (
        path: string,
        data: string,
        options: { ephemeral?: boolean; sequential?: boolean; parents?: boolean },
        command: Command,
      ) => {
        const cli = contextOf(command);
        validatePath(path, 'create');
        const mode: CreateMode = `${options.ephemeral ? 'ephemeral' : 'persistent'}${
          options.sequential ? '-sequential' : ''
        }`;
        await cli.withClient(async (zk) => {
          const created = await zk.create(path, data, { mode, parents: options.parents ?? false });
          cli.emit({ path: created, mode }, () => created);
          if (options.ephemeral) {
            // An ephemeral node goes with the session: hold it until the user lets go.
            cli.note(`holding ${created} in session 0x${zk.sessionId}; Ctrl-C deletes it`);
            await new Promise<void>((resolve) => onInterrupt(() => resolve()));
          }
        }, { createChroot: true });
      },
    );
}
