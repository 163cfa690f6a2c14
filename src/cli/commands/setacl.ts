import { Command } from 'commander';
import { validatePath } from '../../index.js';
import { parseAcl } from '../acl-spec.js';
import { contextOf, integer } from '../cli-context.js';
import { statToJson } from '../format.js';

export function setAclCommand(): Command {
  return new Command('setacl')
    .description("replace a node's ACL")
    .argument('<path>', 'the znode')
    .argument(
      '<acl...>',
      'entries scheme:id:perms (space or comma separated), perms from cdrwa: world:anyone:r, digest:alice:<hash>:cdrwa, ip:10.0.0.1:rw, auth::cdrwa',
    )
    .option('-v, --if-version <n>', "only if the node's ACL is at this version (aversion; else BadVersionError)", integer('--if-version'))
    .action(async (path: string, specs: string[], options: { ifVersion?: number }, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'setacl');
      const acl = parseAcl(specs, `setacl ${path}`);
      const version = options.ifVersion;
      const stat = await cli.withClient((zk) => zk.setACL(path, acl, version === undefined ? {} : { version }));
      cli.emit(
        { path, stat: statToJson(stat) },
        () => `${cli.paint('cyan', path)} ${cli.paint('dim', `aversion ${stat.aversion}`)}`,
      );
    });
}
