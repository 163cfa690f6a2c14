import { Command } from 'commander';
import { validatePath } from '../../index.js';
import { contextOf, integer } from '../cli-context.js';

export function rmCommand(): Command {
  return new Command('rm')
    .description('delete a node')
    .argument('<path>', 'the znode')
    .option('-r, --recursive', 'delete its whole subtree too')
    .option('-v, --if-version <n>', 'only if the node is at this version (else BadVersionError)', integer('--if-version'))
    .action(async (path: string, options: { recursive?: boolean; ifVersion?: number }, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'rm');
      await cli.withClient((zk) =>
        zk.delete(path, {
          recursive: options.recursive ?? false,
          ...(options.ifVersion === undefined ? {} : { version: options.ifVersion }),
        }),
      );
      cli.emit({ path, deleted: true }, () => `${cli.paint('dim', 'deleted')} ${cli.paint('cyan', path)}`);
    });
}
