import { Command } from 'commander';
import { NoNodeError, validatePath } from '../../index.js';
import { contextOf } from '../cli-context.js';
import { statLines, statToJson } from '../format.js';

export function statCommand(): Command {
  return new Command('stat')
    .description("print a node's metadata (zxids, versions, owner, sizes)")
    .argument('<path>', 'the znode')
    .action(async (path: string, _options: object, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'stat');
      const stat = await cli.withClient(async (zk) => {
        const found = await zk.exists(path);
        if (!found) throw new NoNodeError(`${path} does not exist`, { code: -101, path });
        return found;
      });
      cli.emit({ path, stat: statToJson(stat) }, () =>
        statLines(path, stat)
          .map(([name, value]) => `${cli.paint('dim', name.padEnd(15))} ${value}`)
          .join('\n'),
      );
    });
}
