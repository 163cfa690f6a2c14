import { Command } from 'commander';
import { validatePath } from '../../index.js';
import { aclText, permsText } from '../acl-spec.js';
import { contextOf } from '../cli-context.js';
import { statToJson } from '../format.js';

export function getAclCommand(): Command {
  return new Command('getacl')
    .description("print a node's ACL, one scheme:id:perms entry a line (as setacl takes them)")
    .argument('<path>', 'the znode')
    .action(async (path: string, _options: object, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'getacl');
      const { acl, stat } = await cli.withClient((zk) => zk.getACL(path));
      cli.emit(
        { path, acl: acl.map((a) => ({ ...a, permissions: permsText(a.perms) })), stat: statToJson(stat) },
        () => acl.map(aclText).join('\n'),
      );
    });
}
