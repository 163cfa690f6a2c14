import { Command } from 'commander';
import { validatePath } from '../../index.js';
import { contextOf } from '../cli-context.js';

export function lsCommand(): Command {
  return new Command('ls')
    .description("list a node's children, sorted")
    .argument('[path]', 'the znode', '/')
    .action(async (path: string, _options: object, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'ls');
      const children = await cli.withClient((zk) => zk.getChildren(path));
      // An empty listing would look like a failure; the output proper stays empty for scripts.
      if (children.length === 0 && !cli.json) cli.note(`${path} has no children`);
      else cli.emit({ path, children }, () => children.join('\n'));
    });
}
