import { Command } from 'commander';
import { buffer } from 'node:stream/consumers';
import { validatePath } from '../../index.js';
import { contextOf, integer } from '../cli-context.js';
import { hex, statToJson } from '../format.js';

export function setCommand(): Command {
  return new Command('set')
    .description("replace a node's data")
    .argument('<path>', 'the znode')
    .argument('<data>', "the new data (UTF-8); '-' reads it from stdin, without its final newline (see --keep-newline)")
    .option('-v, --if-version <n>', 'only if the node is at this version (else BadVersionError)', integer('--if-version'))
    .option('-k, --keep-newline', "with '-': store stdin byte for byte, its final newline included")
    .action(
      async (path: string, data: string, options: { ifVersion?: number; keepNewline?: boolean }, command: Command) => {
        const cli = contextOf(command);
        validatePath(path, 'set');
        const bytes = data === '-' ? fromStdin(await buffer(process.stdin), options.keepNewline ?? false) : data;
        const version = options.ifVersion;
        const stat = await cli.withClient((zk) => zk.set(path, bytes, version === undefined ? {} : { version }));
        cli.emit(
          { path, stat: statToJson(stat) },
          () => `${cli.paint('cyan', path)} ${cli.paint('dim', `version ${stat.version}, mzxid ${hex(stat.mzxid)}`)}`,
        );
      },
    );
}

/**
 * What `set -` stores: stdin as bytes (so binary data goes through untouched), less the one
 * newline (`\n` or `\r\n`) that `echo` or an editor puts at the end, unless asked to keep it.
 */
export function fromStdin(input: Buffer, keepNewline: boolean): Buffer {
  if (keepNewline || input.at(-1) !== 0x0a) return input;
  return input.subarray(0, input.at(-2) === 0x0d ? -2 : -1);
}
