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
      const stat = await cli.withClient((zk) => zk.exists(path));
      if (!stat) throw new NoNodeError(`${path} does not exist`, { code: -101, path });
      cli.emit({ path, stat: statToJson(stat) }, () =>
        statLines(path, stat)
          .map(([name, value]) => `${cli.paint('dim', name.padEnd(15))} ${value}`)
          .join('\n'),
      );
    });
}
