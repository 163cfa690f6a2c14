import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnScript, type ProcessResult } from '../../helpers/cli.js';

/** One logged line of a demo: `12:00:01.234  label          text`. */
interface Logged {
  label: string;
  text: string;
}

interface DemoRun extends ProcessResult {
  logged: Logged[];
  /** The texts logged under `label`, in order. */
  of(label: string): string[];
  /** Index of the first line under `label` whose text matches, from `from` on; -1 if none. */
  find(label: string, text: RegExp | string, from?: number): number;
}

const demoPath = (file: string) => fileURLToPath(new URL(`../../../demos/${file}`, import.meta.url));

/**
 * Runs a demo with its default duration against the shared server (or `env`), to the end, and
 * checks what every run must show: the banner, no error, everything stopped.
 */
async function runDemo(file: string, env: Record<string, string | undefined> = {}): Promise<DemoRun> {
  const result = await spawnScript(demoPath(file), [], { env, timeoutMs: 120_000 }).exited;
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  const lines = result.stdout.split('\n');
  expect(lines[0]).toMatch(/^rxzk demo: /);
  expect(lines[1]).toMatch(/^ZooKeeper (ZK_CONNECT=|embedded at )\S+; runs \d+ s \(--duration\), Ctrl-C stops it\.$/);
  expect(result.stdout).toMatch(/\ndemo stopped: clients closed, ZooKeeper stopped\n$/);
  expect(result.stdout).not.toMatch(/step\(s\) still running/);
  const logged = lines.flatMap((line) => {
    const match = /^\d\d:\d\d:\d\d\.\d{3} {2}(.{14}) (.*)$/.exec(line);
    return match ? [{ label: match[1]!.trim(), text: match[2]! }] : [];
  });
  const test = (text: RegExp | string, value: string) => (typeof text === 'string' ? value === text : text.test(value));
  return {
    ...result,
    logged,
    of: (label) => logged.filter((l) => l.label === label).map((l) => l.text),
    find: (label, text, from = 0) => logged.findIndex((l, i) => i >= from && l.label === label && test(text, l.text)),
  };
}

/** Every index in `indices` is found (>= 0) and they come in this order. */
function expectInOrder(indices: number[], what: string): void {
  for (const i of indices) expect(i, what).toBeGreaterThanOrEqual(0);
  expect(indices, what).toEqual([...indices].sort((a, b) => a - b));
}

describe('the small demos show what they announce (default durations)', () => {
  it('watch: data$, children$ and tree$ follow every change', async () => {
    const run = await runDemo('watch-znodes.ts');
    expect(run.of('data$')).toEqual(['null', 'hello', 'hello again', 'null']);
    // Creating /app/workers/w1 with its parent may show the parent empty for a moment.
    expect(run.of('children$').filter((c) => c !== '[]')).toEqual(['null', '["w1"]', '["w1","w2"]', '["w2"]']);
    expect(run.of('tree$').at(-1)).toBe('{"/app":"","/app/workers":"","/app/workers/w2":""}');
  }, 120_000);

  it('registry: instances come and go, and one whose session expired registers again', async () => {
    const run = await runDemo('service-registry.ts');
    const all = '["a1@127.0.0.1:8001","a2@127.0.0.1:8002","a3@127.0.0.1:8003"]';
    const firstAll = run.find('discover', all);
    const stops = run.find('a2', /^stops/);
    const withoutA2 = run.find('discover', '["a1@127.0.0.1:8001","a3@127.0.0.1:8003"]', stops);
    const expires = run.find('a3', /session expires/);
    const registeredAgain = run.find('a3 register', 'registered', expires);
    const a2Back = run.find('a2 register', 'registered', registeredAgain);
    const allAgain = run.find('discover', all, a2Back);
    expectInOrder([firstAll, stops, withoutA2, expires, registeredAgain, a2Back, allAgain], 'the registry story');
  }, 120_000);

  it('leader: a handover on withdrawal, and on a session expiry', async () => {
    const run = await runDemo('leader-election.ts');
    const c1 = run.find('c1', 'leading');
    const withdraws = run.find('c1', /^withdraws/);
    const c2 = run.find('c2', 'leading', withdraws);
    const expires = run.find('c2', /session expires/);
    const c3 = run.find('c3', 'leading', expires);
    const c2Again = run.find('election$', 'leader c3, line c3 → c1 → c2', c3);
    expectInOrder([c1, withdraws, c2, expires, c3, c2Again], 'the election story');
    expect(run.of('c1').filter((t) => t === 'leading')).toHaveLength(1);
  }, 120_000);

  it('lock: no increment lost; the auditor gets a growing fencing token', async () => {
    const run = await runDemo('lock-contention.ts');
    const [result] = run.of('result');
    const match = /^(\d+) increments, counter is (\d+)$/.exec(result ?? '');
    expect(match, result).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
    expect(match![2]).toBe(match![1]);
    const tokens = run.of('auditor').flatMap((t) => /^acquired, fencing token (\d+)$/.exec(t)?.[1] ?? []).map(BigInt);
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    expect(tokens).toEqual([...tokens].sort((a, b) => (a < b ? -1 : 1)));
  }, 120_000);

  it('config: every service sees every revision, in order', async () => {
    const run = await runDemo('config-propagation.ts');
    const written = run.of('operator').map((t) => Number(/^wrote rev (\d+)$/.exec(t)![1]));
    expect(written.length).toBeGreaterThanOrEqual(3);
    for (const service of ['api', 'worker', 'gateway']) {
      const revs = run.of(service).map((t) => (JSON.parse(t) as { rev: number }).rev);
      expect(revs, service).toEqual([1, ...written]);
    }
    expect(run.of('limiter')[0]).toBe('rate limit is 100');
  }, 120_000);

  it('failover: suspended and reconnected on one session through a leader kill; lost and connected after expiry', async () => {
    const run = await runDemo('connection-failover.ts', { ZK_CONNECT: undefined });
    const states = run.of('state$');
    const session = (state: string, from = 0) => states.slice(from).find((s) => s.startsWith(`${state} `))?.split(' ')[2];
    const first = session('connected');
    expect(first).toMatch(/^0x[0-9a-f]+$/);
    const kill = run.find('ensemble', /^killing the leader/);
    const suspended = run.find('state$', `suspended session ${first}`, kill);
    const reconnected = run.find('state$', `reconnected session ${first}`, suspended);
    const restarted = run.find('ensemble', /serves again$/, reconnected);
    const expiring = run.find('session', `expiring session ${first}`, restarted);
    const lost = run.find('state$', /^lost/, expiring);
    const connected = run.find('state$', /^connected session 0x/, lost);
    expectInOrder([kill, suspended, reconnected, restarted, expiring, lost, connected], 'the failover story');
    expect(run.logged[connected]!.text).not.toContain(first!);
    // data$ goes on through all of it.
    const ticks = run.of('data$').map(Number);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
    expect(run.logged.findLastIndex((l) => l.label === 'data$')).toBeGreaterThan(connected);
  }, 180_000);

  it('read/write lock: readers together, writers alone', async () => {
    const run = await runDemo('recipes/read-write-lock.ts');
    const holds = run.logged.flatMap((l) => {
      const match = /^holds the (read|write) lock \(readers (\d+), writers (\d+)\)$/.exec(l.text);
      return match ? [{ kind: match[1], readers: Number(match[2]), writers: Number(match[3]) }] : [];
    });
    expect(holds.some((h) => h.kind === 'write')).toBe(true);
    expect(holds.some((h) => h.readers >= 2)).toBe(true);
    for (const h of holds) expect(h.writers === 0 || (h.writers === 1 && h.readers === 0), JSON.stringify(h)).toBe(true);
  }, 120_000);

  it('semaphore: never more than two holders; a holder whose session expires says lost and queues again', async () => {
    const run = await runDemo('recipes/semaphore.ts');
    for (const { text } of run.logged) {
      const holding = /; holding: (.*)$/.exec(text)?.[1];
      if (holding && holding !== 'nobody') expect(holding.split(', ').length, text).toBeLessThanOrEqual(2);
    }
    const expires = run.logged.findIndex((l) => /its session expires while it holds a lease/.test(l.text));
    expect(expires).toBeGreaterThanOrEqual(0);
    const victim = run.logged[expires]!.label;
    const lost = run.find(victim, /^lost;/, expires);
    const again = run.find(victim, /^(waiting|acquired)/, lost);
    expectInOrder([expires, lost, again], `${victim}'s lease`);
  }, 120_000);

  it('barrier: the waiters go on only once it is lifted; a late one goes straight through', async () => {
    const run = await runDemo('recipes/barrier.ts');
    const lifted = run.find('coordinator', 'lifts the barrier');
    for (const w of ['w1', 'w2', 'w3']) expectInOrder([run.find(w, 'waits at the barrier'), lifted, run.find(w, 'goes on')], w);
    expectInOrder([lifted, run.find('w4', 'waits at the barrier'), run.find('w4', 'goes on')], 'w4');
  }, 120_000);

  it('double barrier: all enter together, and leave together', async () => {
    const run = await runDemo('recipes/double-barrier.ts');
    const workers = ['w1', 'w2', 'w3'];
    const lastArrival = Math.max(...workers.map((w) => run.find(w, /^(entering|entered)/)));
    const lastDone = Math.max(...workers.map((w) => run.find(w, 'is done')));
    for (const w of workers) {
      expect(run.find(w, 'entered [w1, w2, w3]'), w).toBeGreaterThanOrEqual(lastArrival);
      expect(run.find(w, 'left []'), w).toBeGreaterThan(lastDone);
    }
  }, 120_000);

  it('queue: every job done exactly once, urgent first; the job of the worker that died goes to another', async () => {
    const run = await runDemo('recipes/queue.ts');
    const finished = run.logged.flatMap((l) => /^finished (.+)$/.exec(l.text)?.[1] ?? []);
    expect([...finished].sort()).toEqual(['job-1', 'job-2', 'job-3', 'job-4', 'job-5', 'job-6', 'job-7', 'late-job', 'urgent']);
    expect(run.logged.find((l) => l.text.startsWith('works on'))?.text).toBe('works on urgent');
    const dies = run.find('w2', /^dies in the middle of (\S+):/);
    expect(dies).toBeGreaterThanOrEqual(0);
    const job = /^dies in the middle of (\S+):/.exec(run.logged[dies]!.text)![1]!;
    // Once dead, w2 says nothing more; its job is done by another.
    expect(run.logged.slice(dies + 1).filter((l) => l.label === 'w2')).toEqual([]);
    expect(run.find('queue', new RegExp(`^${job}, left unfinished by w2, was done by w[13]$`), dies)).toBeGreaterThan(dies);
    expect(run.of('queue').at(-1)).toBe('empty: every job done and acknowledged');
  }, 120_000);

  it('group: members join, leave and crash; one whose session expired joins again', async () => {
    const run = await runDemo('recipes/group.ts');
    const a = 'worker-a={"slots":4}';
    const b = 'worker-b={"slots":2}';
    const c = 'worker-c={"slots":1}';
    const all = run.find('observer', `${a} ${b} ${c}`);
    const bLeft = run.find('observer', `${a} ${c}`, all);
    const cCrashed = run.find('observer', a, bLeft);
    const expires = run.find('worker-a', 'its session expires', cCrashed);
    const again = run.find('worker-a', 'joined again on its new session', expires);
    expectInOrder([all, bLeft, cCrashed, expires, again], 'the members');
    expect(run.logged.slice(0, again).filter((l) => l.label === 'observer').at(-1)?.text).toBe(a);
  }, 120_000);

  it('counter: 4 x 25 adds land exactly once; exactly one compareAndSet wins', async () => {
    const run = await runDemo('recipes/counter.ts');
    expect(run.of('total')).toEqual(['100: 4 x 25, none lost, none twice']);
    const cas = [...run.of('c2'), ...run.of('c3')].filter((t) => t.startsWith('compareAndSet'));
    expect(cas.map((t) => t.split(': ')[1]).sort()).toEqual(['false', 'true']);
  }, 120_000);

  it('typed config: validated values, an invalid edit ignored, concurrent updates all kept', async () => {
    const run = await runDemo('recipes/config.ts');
    for (const service of ['api', 'worker']) {
      const seen = run.of(service);
      expect(seen[0]).toBe('{"rps":100,"burst":0}');
      expect(seen).toContain('{"rps":200,"burst":0}');
      expect(seen.some((t) => t.startsWith('ignores /config/limits'))).toBe(true);
      expect(seen).toContain('{"rps":250,"burst":10}');
      expect(seen.at(-1)).toBe('{"rps":250,"burst":25}');
    }
    expect(run.of('admins').at(-1)).toBe('done: {"rps":250,"burst":25}, no update lost');
  }, 120_000);

  it('two-phase commit: a commit, an abort vote, and a crash that times out to abort', async () => {
    const run = await runDemo('recipes/two-phase-commit.ts');
    const decisions = run.of('coordinator').filter((t) => / decided /.test(t));
    expect(decisions).toEqual([
      'order 1: decided commit (unanimous)',
      'order 2: decided abort (vote-abort)',
      'order 3: decided abort (timeout)',
    ]);
    expect(run.find('shipping', 'crashes while preparing order 3')).toBeGreaterThanOrEqual(0);
  }, 120_000);
});

describe('the small demos answer --help and refuse unknown options', () => {
  it('--help prints the usage (exit 0); an unknown option or a bad --duration prints it on stderr (exit 2)', async () => {
    const demo = demoPath('recipes/counter.ts');
    const help = await spawnScript(demo, ['--help']).exited;
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: node --import tsx \S*demos\/recipes\/counter\.ts \[options\]\n/);
    expect(help.stdout).toContain('--duration <s>  stop after this many seconds, counted once its clients are connected (default 3)');

    for (const [args, message] of [
      [['--bogus'], "Unknown option '--bogus'"],
      [['--duration', 'soon'], "--duration must be a number of seconds > 0, got 'soon'"],
      [['extra'], "Unexpected argument 'extra'"],
    ] as const) {
      const result = await spawnScript(demo, args).exited;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect(result.stderr).toContain('Usage: ');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  }, 60_000);
});
