import { Command } from 'commander';
import { firstValueFrom } from 'rxjs';
import { NoNodeError, validatePath } from '../../index.js';
import { contextOf } from '../cli-context.js';
import { dataPreview, nodeToJson, treeLines } from '../format.js';

export function treeCommand(): Command {
  return new Command('tree')
    .description('print a subtree with a preview of each node\'s data (--json: one node a line)')
    .argument('[path]', 'the root of the subtree', '/')
    .action(async (path: string, _options: object, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'tree');
      const nodes = await cli.withClient(async (zk) => {
        const tree = await firstValueFrom(zk.tree$(path));
        // tree$ gives an empty tree while the root does not exist.
        if (tree.size === 0) throw new NoNodeError(`${path} does not exist`, { code: -101, path });
        return tree;
      });
      for (const { prefix, name, node } of treeLines(path, nodes)) {
        cli.emit(nodeToJson(node), () => {
          const ephemeral = node.stat.ephemeralOwner !== '0' ? cli.paint('magenta', ' [ephemeral]') : '';
          const data = node.data.length > 0 ? ` ${cli.paint('dim', `= ${dataPreview(node.data)}`)}` : '';
          return `${cli.paint('dim', prefix)}${cli.paint('cyan', name)}${ephemeral}${data}`;
        });
      }
    });
}
