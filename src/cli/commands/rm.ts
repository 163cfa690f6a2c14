import { Command } from 'commander';
import { InvalidArgumentError, validatePath } from '../../index.js';
import { contextOf, integer } from '../cli-context.js';

export function rmCommand(): Command {
  return new Command('rm')
    .description('delete a node')
    .argument('<path>', 'the znode')
    .option('-r, --recursive', 'delete its whole subtree too')
    .option('-v, --if-version <n>', 'only if the node is at this version (else BadVersionError)', integer('--if-version'))
    .action(async (path: string, options: { recursive?: boolean; ifVersion?: number }, command: Command) => {
      const cli = contextOf(command);
      validatePath(path, 'rm');
      refuseProtected(path, cli.chroot);
      await cli.withClient((zk) =>
        zk.delete(path, {
          recursive: options.recursive ?? false,
          ...(options.ifVersion === undefined ? {} : { version: options.ifVersion }),
        }),
      );
      cli.emit({ path, deleted: true }, () => `${cli.paint('dim', 'deleted')} ${cli.paint('cyan', path)}`);
    });
}

/**
 * Refuses, before anything is deleted, what `rm` must never do: delete the root (`rm -r /` would
 * empty the whole ensemble, then fail half way on ZooKeeper's own nodes), or touch `/zookeeper`
 * (quotas and the ensemble's configuration). Under a namespace, `/` is the namespace node.
 *
 * @throws InvalidArgumentError saying which and why.
 */
export function refuseProtected(path: string, chroot: string): void {
  if (path === '/') {
    const what = chroot ? `the namespace ${chroot} itself` : 'the root of the tree';
    throw new InvalidArgumentError(`rm /: refusing to delete ${what}; delete the nodes under it by name`);
  }
  const serverPath = chroot + path;
  if (serverPath === '/zookeeper' || serverPath.startsWith('/zookeeper/')) {
    throw new InvalidArgumentError(
      `rm ${path}: refusing to touch /zookeeper, ZooKeeper's own subtree (quotas, ensemble configuration)`,
    );
  }
}
