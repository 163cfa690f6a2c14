import { Command } from 'commander';
import { text } from 'node:stream/consumers';
import { validatePath } from '../../index.js';
import { contextOf, integer } from '../cli-context.js';
import { hex, statToJson } from '../format.js';

export function setCommand(): Command {
  return new Command('set')
    .description("replace a node's data")
    .argument('<path>', 'the znode')
    .argument('<data>', "the new data (UTF-8); '-' reads it from stdin")
    .option('-v, --if-version <n>', 'only if the node is at this version (else BadVersionError)', integer('--if-version'))
    .action(async (path: string, data: string, options: { ifVersion?: number }, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'set');
      const bytes = data === '-' ? await text(process.stdin) : data;
      const version = options.ifVersion;
      const stat = await cli.withClient((zk) => zk.set(path, bytes, version === undefined ? {} : { version }));
      cli.emit(
        { path, stat: statToJson(stat) },
        () => `${cli.paint('cyan', path)} ${cli.paint('dim', `version ${stat.version}, mzxid ${hex(stat.mzxid)}`)}`,
      );
    });
}
