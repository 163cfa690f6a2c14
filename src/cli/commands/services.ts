import { Command } from 'commander';
import { firstValueFrom } from 'rxjs';
import { discover, validatePath, type ServiceInstance } from '../../index.js';
import { contextOf, follow, type CliContext } from '../cli-context.js';
import { clockTime } from '../format.js';
import { reportConnection } from './watch.js';

export function servicesCommand(): Command {
  return new Command('services')
    .description('list the live instances of a service (as register() makes them), sorted by id')
    .argument('<base>', 'the service node, e.g. /services/api')
    .option('-w, --watch', 'print the list again whenever an instance comes, goes or changes, until Ctrl-C')
    .action(async (base: string, options: { watch?: boolean }, command: Command) => {
      const cli = contextOf(command);
      validatePath(base, 'services');
      await cli.withClient(async (zk) => {
        // A malformed instance node is reported on stderr and skipped.
        const instances$ = discover(zk, base, { onInvalid: (error) => cli.error(error) });
        if (!options.watch) {
          const instances = await firstValueFrom(instances$);
          if (instances.length === 0 && !cli.json) cli.note(`no instances under ${base}`);
          else printInstances(cli, base, instances);
          return;
        }
        reportConnection(cli, zk);
        await follow(instances$, (instances) => printInstances(cli, base, instances, new Date()));
      }, { noteMissingNamespace: true });
    });
}

function printInstances(cli: CliContext, base: string, instances: readonly ServiceInstance[], time?: Date): void {
  cli.emit({ ...(time ? { time: time.toISOString() } : {}), base, instances }, () => {
    const rows = instances.map((i) => {
      const payload = i.payload === null ? '' : `  ${JSON.stringify(i.payload)}`;
      const since = i.registeredAt === null ? '' : cli.paint('dim', `  since ${new Date(i.registeredAt).toISOString()}`);
      return `${time ? '  ' : ''}${cli.paint('bold', i.id)}  ${i.host}:${i.port}${payload}${since}`;
    });
    if (!time) return rows.join('\n');
    const header = `${cli.paint('dim', clockTime(time))}  ${cli.paint('cyan', base)}  ${instances.length} instance(s)`;
    return [header, ...rows].join('\n');
  });
}
