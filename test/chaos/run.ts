/**
 * `npm run chaos`: a chaos run from the command line. See the README's "Chaos runs".
 *
 *   npm run chaos -- --duration 300 --seed 42
 *   npm run chaos -- --connect 10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181 --out chaos-logs
 *
 * Exit status: 0 when the checker found nothing, 1 when it found a violation (safety or
 * liveness), 2 when the run could not be made, 130 when interrupted.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport, reportJson } from './report.js';
import { runChaos } from './runner.js';

const HELP = `usage: npm run chaos -- [options]
  --duration <s>         how long the run lasts once every participant is up (default 120)
  --seed <n>             the fault schedule's seed (default: a random one, printed)
  --connect <servers>    an ensemble of your own (host:port,...): no member is killed, only
                         participants' connections are cut and sessions expired
  --out <dir>            keep the logs and the report there (default: a temporary directory,
                         removed after a clean run)
  --session-timeout <ms> the participants' session timeout (default 4000)
  --quiet <s>            faults stop this long before the end (default: 2 session timeouts + 7 s)
  --stall <ms>           a lock free, or an election leaderless, this long while every contender is
                         live counts as a stall (default 1500)`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      duration: { type: 'string', default: '120' },
      seed: { type: 'string' },
      connect: { type: 'string' },
      out: { type: 'string' },
      'session-timeout': { type: 'string', default: '4000' },
      quiet: { type: 'string' },
      stall: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${HELP}`);
  process.exit(2);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const durationMs = Number(values.duration) * 1000;
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const sessionTimeoutMs = Number(values['session-timeout']);
const quietMs = values.quiet === undefined ? undefined : Number(values.quiet) * 1000;
const stallMs = values.stall === undefined ? undefined : Number(values.stall);
const bad = [
  !(durationMs > 0) && '--duration must be a number of seconds > 0',
  !Number.isInteger(seed) && '--seed must be an integer',
  !(sessionTimeoutMs >= 1000) && '--session-timeout must be a number of ms >= 1000',
  quietMs !== undefined && !(quietMs >= 0) && '--quiet must be a number of seconds >= 0',
  stallMs !== undefined && !(stallMs > 0) && '--stall must be a number of ms > 0',
].filter(Boolean);
if (bad.length) {
  console.error(`${bad.join('\n')}\n\n${HELP}`);
  process.exit(2);
}

const abort = new AbortController();
let interrupted = false;
const onSignal = () => {
  // A second Ctrl-C does not wait: the exit hooks kill every participant, the watchdogs every JVM.
  if (interrupted) process.exit(130);
  interrupted = true;
  abort.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const say = (line: string) => console.log(line);
say(`chaos run: seed ${seed}, ${durationMs / 1000} s (repeat with --seed ${seed})`);
try {
  const { result, outDir } = await runChaos({
    durationMs,
    seed,
    sessionTimeoutMs,
    say,
    signal: abort.signal,
    ...(values.connect ? { connect: values.connect } : {}),
    ...(values.out ? { outDir: values.out } : {}),
    ...(quietMs !== undefined ? { quietMs } : {}),
    ...(stallMs !== undefined ? { stallMs } : {}),
  });
  const clean = result.violations.length === 0;
  const keep = values.out !== undefined || !clean;
  const where = keep ? outDir : '(removed: nothing to look at)';
  const summary = { seed, durationMs, external: values.connect !== undefined, outDir: where };
  const text = formatReport(result, summary);
  say(`\n${text}`);
  if (keep) {
    await writeFile(join(outDir, 'report.txt'), `${text}\n`);
    await writeFile(join(outDir, 'report.json'), `${JSON.stringify(reportJson(result, summary), null, 2)}\n`);
  } else {
    await rm(outDir, { recursive: true, force: true });
  }
  process.exit(clean ? 0 : 1);
} catch (error) {
  if (interrupted) {
    console.error('interrupted; everything it started is stopped');
    process.exit(130);
  }
  console.error(`chaos run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(2);
}
