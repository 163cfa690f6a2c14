import { Command } from 'commander';
import { validatePath } from '../../index.js';
import { contextOf } from '../cli-context.js';
import { dataText, nodeToJson, statLines } from '../format.js';

export function getCommand(): Command {
  return new Command('get')
    .description("print a node's data (UTF-8 text; bytes that are not UTF-8 as base64:...)")
    .argument('<path>', 'the znode')
    .option('-s, --stat', 'print the stat after the data')
    .action(async (path: string, options: { stat?: boolean }, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'get');
      const node = await cli.withClient((zk) => zk.get(path));
      cli.emit(nodeToJson(node), () => {
        if (!options.stat) return dataText(node.data);
        const stat = statLines(node.path, node.stat).map(([k, v]) => `${cli.paint('dim', k.padEnd(15))} ${v}`);
        return [dataText(node.data), '', ...stat].join('\n');
      });
    });
}
