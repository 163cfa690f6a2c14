import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { InvalidArgumentError, InvalidPathError } from '../index.js';
import { authOption, CliContext, CliExit, DEFAULT_CONNECT, DEFAULT_TIMEOUT_MS, integer } from './cli-context.js';
import { createCommand } from './commands/create.js';
import { getAclCommand } from './commands/getacl.js';
import { getCommand } from './commands/get.js';
import { healthCommand } from './commands/health.js';
import { leaderCommand } from './commands/leader.js';
import { lsCommand } from './commands/ls.js';
import { rmCommand } from './commands/rm.js';
import { servicesCommand } from './commands/services.js';
import { setAclCommand } from './commands/setacl.js';
import { setCommand } from './commands/set.js';
import { statCommand } from './commands/stat.js';
import { treeCommand } from './commands/tree.js';
import { watchChildrenCommand } from './commands/watch-children.js';
import { watchCommand } from './commands/watch.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** The `rxzk` program: global options and one subcommand per operation. */
export function buildProgram(): Command {
  const program = new Command('rxzk')
    .description('Apache ZooKeeper from the command line, live: read, write, watch, and inspect services, leaders and servers.')
    .version(version, '-V, --version')
    .addOption(
      new Option('-c, --connect <hosts>', 'ZooKeeper servers, host:port[,host:port...][/chroot]')
        .env('ZK_CONNECT')
        .default(DEFAULT_CONNECT),
    )
    .option('--json', 'print one JSON object per line (zxids as strings)')
    .option('-t, --timeout <ms>', 'how long to wait for a session or a server', integer('--timeout', 1), DEFAULT_TIMEOUT_MS)
    .option('-a, --auth <scheme:credentials>', 'add credentials to the session first, e.g. digest:alice:secret (repeatable)', authOption)
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();
  for (const command of [
    getCommand(),
    setCommand(),
    createCommand(),
    rmCommand(),
    lsCommand(),
    treeCommand(),
    statCommand(),
    getAclCommand(),
    setAclCommand(),
    watchCommand(),
    watchChildrenCommand(),
    servicesCommand(),
    leaderCommand(),
    healthCommand(),
  ]) {
    // Help (with the global options), exit handling and error output as the program's.
    program.addCommand(command.copyInheritedSettings(program));
  }
  return program;
}

/**
 * Runs the CLI and resolves with its exit code: 0 on success, 1 when the operation failed (after
 * printing `Name: message` on stderr), 2 for a usage mistake: commander's own (it has printed
 * it), or an argument the library refuses before anything is sent, such as a malformed path or
 * connect string (printed as `Name: message`).
 */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv as string[]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliExit) return err.exitCode;
    const error = err instanceof Error ? err : new Error(String(err));
    new CliContext({ connect: '', json: false, timeout: 0 }).error(error);
    return error instanceof InvalidPathError || error instanceof InvalidArgumentError ? 2 : 1;
  }
}
