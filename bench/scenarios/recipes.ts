import { performance } from 'node:perf_hooks';
import { EMPTY, type Observable, type Subscription } from 'rxjs';
import type { RawClient } from '../../src/wire/nzc/raw-client.js';
import { discover, leadership, register, withLock, type ZkClient } from '../../src/index.js';
import { Arrival } from '../lib/arrival.js';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { createAll } from '../lib/raw.js';
import { rawCall } from '../../test/helpers/raw.js';
import { withTimeout } from '../../test/helpers/waiting.js';
import { rawDiscover, rawJoinQueue, rawLockCycle, rawRegister, type RawQueueOptions } from '../lib/raw-recipes.js';
import {
  absoluteBar,
  CPU,
  OPS,
  P50,
  P99,
  ratioBar,
  type Contender,
  type Sample,
  type Scenario,
} from '../lib/scenario.js';

/**
 * What the mature frameworks do on this machine against the same kind of server (median of 5
 * runs): rxzk should beat the best of them.
 */
const REFERENCE = {
  /** Lock handoff, 4 sessions, cycles/s. */
  lock: { curator: 1_300, kazoo: 1_275 },
  /** Leader failover p50, ms. */
  failover: { curator: 2.7, kazoo: 0.8 },
  /** Discovery, register → seen p50, ms. */
  discovery: { curator: 2.1, kazoo: 0.7 },
} as const;

/** Within 1.2 of the floor: latency ≤ 1.2 times it, throughput ≥ 1/1.2 of it (0.8333, rounded up). */
const WITHIN = 1.2;
const THROUGHPUT_WITHIN = 0.834;

const LOCK_SESSIONS = 4;
/** How long one awaited step (an acquisition, a failover, a registration seen) may take. */
const STEP_TIMEOUT_MS = 10_000;
/** How long a lock round may take in all. */
const LOCK_ROUND_TIMEOUT_MS = 60_000;
/** Candidates standing at any time in the failover case (the leader and the ones behind it). */
const CANDIDATES = 3;

/** The raw floor does what rxzk does for safety: the ownership check, and a watch on its own node. */
const RAW_QUEUE: RawQueueOptions = { checkOwner: true, watchOwn: true };

/**
 * 7. The coordination recipes against the same ZooKeeper algorithms hand-written on raw callbacks:
 * lock handoff, leader failover, and service discovery (register → seen, session close → gone).
 */
export const recipes: Scenario = {
  id: 'recipes',
  title: 'Recipes: lock handoff, leader failover, discovery',
  requires: ['recipes'],
  notes: [
    `lock handoff: ${LOCK_SESSIONS} sessions each acquire and release one lock in a loop (rxzk: withLock with empty work, the next after it completes; raw: the next cycle from the delete callback); cycles/s over all sessions. Reference: Curator ${REFERENCE.lock.curator}, kazoo ${REFERENCE.lock.kazoo} cycles/s.`,
    `leader failover: ${CANDIDATES} candidates; the leader's session is closed and the time taken until the next candidate's stream says it leads; a new candidate then joins at the back (not timed). Reference p50: Curator ${REFERENCE.failover.curator} ms, kazoo ${REFERENCE.failover.kazoo} ms.`,
    `discovery: a discoverer on its own session; register → seen: from the registering call to the instance being in the discovered list (then deregistered, not timed); session close → gone: from closing the registrant's session to the instance leaving the list. Between reps, two round trips on each session, so that a rep starts with nothing of the one before under way. Reference register → seen p50: Curator ${REFERENCE.discovery.curator} ms, kazoo ${REFERENCE.discovery.kazoo} ms.`,
    'raw, lock and election (ZooKeeper\'s recipe): create a protected ephemeral-sequential node; getChildren with, pipelined, exists of our node (hold only if it is there and ours: the ownership check rxzk makes); first holds, else getData-watch the one ahead and list again when it goes; getData-watch our own node once placed (as rxzk does); release = delete.',
    'raw, discovery: getChildren with a watch on the service node, re-armed on every change; getData with a watch on each new child, JSON-decoded; a child is gone as soon as its data watch says it was deleted (or a read says NoNode). Registering: create the ephemeral node, then getData-watch it (as register does).',
    'cpu µs/op counts the whole round, setup included (joining candidates, opening registrant sessions), for both sides alike.',
  ],
  async run(ctx) {
    const cycles = ctx.scale(25, 100);
    const failovers = ctx.scale(6, 20);
    const registrations = ctx.scale(15, 40);
    const closes = ctx.scale(5, 12);
    return [
      await compareCase(ctx, {
        name: `lock handoff, ${LOCK_SESSIONS} sessions × ${cycles}`,
        metrics: [OPS, CPU],
        rounds: ctx.rounds * 2,
        bars: [ratioBar('ops', '>=', THROUGHPUT_WITHIN), absoluteBar('ops', '>=', REFERENCE.lock.curator)],
        rxzk: () => rxzkLock(ctx, cycles),
        raw: () => rawLock(ctx, cycles, RAW_QUEUE),
      }),
      await compareCase(ctx, {
        name: 'leader failover',
        metrics: [P50, P99, CPU],
        bars: [ratioBar('p50', '<=', WITHIN), ratioBar('p99', '<=', WITHIN), absoluteBar('p50', '<=', REFERENCE.failover.kazoo)],
        rxzk: () => rxzkFailover(ctx, failovers),
        raw: () => rawFailover(ctx, failovers),
      }),
      await compareCase(ctx, {
        name: 'discovery: register → seen',
        metrics: [P50, P99, CPU],
        bars: [ratioBar('p50', '<=', WITHIN), absoluteBar('p50', '<=', REFERENCE.discovery.kazoo)],
        rxzk: () => rxzkRegistrations(ctx, registrations),
        raw: () => rawRegistrations(ctx, registrations),
      }),
      await compareCase(ctx, {
        name: 'discovery: session close → gone',
        metrics: [P50, P99, CPU],
        bars: [ratioBar('p50', '<=', WITHIN)],
        rxzk: () => rxzkCloses(ctx, closes),
        raw: () => rawCloses(ctx, closes),
      }),
    ];
  },
};

async function createdPath(ctx: BenchContext, name: string): Promise<string> {
  const path = ctx.path(name);
  await createAll(ctx.writer, [path], Buffer.alloc(0));
  return path;
}

/** Resolves when `source` completes, rejects when it errors. */
function completion(source: Observable<unknown>): Promise<void> {
  return new Promise((resolve, reject) => source.subscribe({ error: reject, complete: resolve }));
}

// ------------------------------------------------------------------------------------------------
// Lock handoff

async function rxzkLock(ctx: BenchContext, cycles: number): Promise<Contender> {
  const path = await createdPath(ctx, 'lock-rxzk');
  const clients = await Promise.all(Array.from({ length: LOCK_SESSIONS }, () => ctx.client()));
  const loop = async (zk: ZkClient) => {
    for (let i = 0; i < cycles; i++) await completion(withLock(zk, path, () => EMPTY));
  };
  return {
    async round() {
      const started = performance.now();
      await withTimeout(Promise.all(clients.map(loop)), LOCK_ROUND_TIMEOUT_MS, `rxzk lock round on ${path}`);
      return { ops: cycles * LOCK_SESSIONS, elapsedMs: performance.now() - started };
    },
    async close() {
      await Promise.all(clients.map((zk) => ctx.closeClient(zk)));
    },
  };
}

async function rawLock(ctx: BenchContext, cycles: number, options: RawQueueOptions): Promise<Contender> {
  const path = await createdPath(ctx, 'lock-raw');
  const clients = await Promise.all(Array.from({ length: LOCK_SESSIONS }, () => ctx.rawClient()));
  const loop = (raw: RawClient) =>
    new Promise<void>((resolve, reject) => {
      let done = 0;
      const next = (error: Error | null): void => {
        if (error) return reject(error);
        if (done++ === cycles) return resolve();
        rawLockCycle(raw, path, options, next);
      };
      next(null);
    });
  return {
    async round() {
      const started = performance.now();
      await withTimeout(Promise.all(clients.map(loop)), LOCK_ROUND_TIMEOUT_MS, `raw lock round on ${path}`);
      return { ops: cycles * LOCK_SESSIONS, elapsedMs: performance.now() - started };
    },
    async close() {
      await Promise.all(clients.map((raw) => ctx.closeRaw(raw)));
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Leader failover

interface Candidate {
  readonly id: string;
  /** Closes the candidate's session. */
  close(): Promise<void>;
}

/**
 * The failover loop both sides share: `join(id)` stands a candidate on a new session and resolves
 * once it is placed in the queue; `leaders` is offered a candidate's id when its stream says it
 * leads. Each rep closes the leader's session and times until the next candidate leads.
 */
async function failoverContender(
  join: (id: string) => Promise<Candidate>,
  leaders: Arrival<string>,
  count: number,
  what: string,
): Promise<Contender> {
  let next = 0;
  const candidates: Candidate[] = [];
  const stand = async () => candidates.push(await join(`c${next++}`));
  const closeAll = () => Promise.all(candidates.splice(0).map((c) => c.close()));
  try {
    for (let i = 0; i < CANDIDATES; i++) await stand();
    await leaders.expect((id) => id === candidates[0]!.id, STEP_TIMEOUT_MS, `${what}: first leader`);
  } catch (error) {
    await closeAll();
    throw error;
  }
  return {
    async round(): Promise<Sample> {
      const latenciesMs: number[] = [];
      for (let i = 0; i < count; i++) {
        const leader = candidates.shift()!;
        const heir = candidates[0]!;
        const t0 = performance.now();
        const closing = leader.close();
        const at = await leaders.expect((id) => id === heir.id, STEP_TIMEOUT_MS, `${what}: ${heir.id} leads`);
        latenciesMs.push(at - t0);
        await closing;
        await stand();
      }
      return { latenciesMs, ops: count, elapsedMs: latenciesMs.reduce((a, b) => a + b, 0) };
    },
    async close() {
      await closeAll();
    },
  };
}

async function rxzkFailover(ctx: BenchContext, count: number): Promise<Contender> {
  const path = await createdPath(ctx, 'election-rxzk');
  const leaders = new Arrival<string>();
  const join = async (id: string): Promise<Candidate> => {
    const zk = await ctx.client();
    const placed = new Arrival<boolean>();
    const subscription: Subscription = leadership(zk, path, { id }).subscribe({
      next: (view) => {
        if (view.isLeader) leaders.offer(id);
        if (view.candidates.includes(id)) placed.offer(true);
      },
      error: (error: Error) => console.error(`leadership ${id}: ${error.message}`),
    });
    await placed.expect(() => true, STEP_TIMEOUT_MS, `rxzk candidate ${id} placed`);
    return {
      id,
      close: async () => {
        await ctx.closeClient(zk);
        subscription.unsubscribe();
      },
    };
  };
  return failoverContender(join, leaders, count, 'rxzk');
}

async function rawFailover(ctx: BenchContext, count: number): Promise<Contender> {
  const path = await createdPath(ctx, 'election-raw');
  const leaders = new Arrival<string>();
  const join = async (id: string): Promise<Candidate> => {
    const raw = await ctx.rawClient();
    const placed = new Arrival<boolean>();
    const participant = rawJoinQueue(
      raw,
      path,
      id,
      RAW_QUEUE,
      (holds) => {
        if (holds) leaders.offer(id);
        placed.offer(true);
      },
      (error) => console.error(`raw candidate ${id}: ${error.message}`),
    );
    await placed.expect(() => true, STEP_TIMEOUT_MS, `raw candidate ${id} placed`);
    return {
      id,
      close: () => {
        participant.stop();
        return ctx.closeRaw(raw);
      },
    };
  };
  return failoverContender(join, leaders, count, 'raw');
}

// ------------------------------------------------------------------------------------------------
// Discovery

/** A service instance's registration on one side: the node goes when it is withdrawn or its session closes. */
interface Registrant {
  /** Starts registering instance `id` (returns once the request is on its way, not when it landed). */
  register(id: string): { withdraw(): void };
  /** Resolves once what the registrant's session still had under way has been answered. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

interface DiscoverySide {
  /** The ids the discoverer shows, offered on every emission. */
  readonly seen: Arrival<readonly string[]>;
  /** A registrant on a new session. */
  registrant(): Promise<Registrant>;
  /** Resolves once what the discoverer's session still had under way has been answered. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Two round trips, one after the other, on a session: the server answers a session's requests in
 * order, so what was under way when this started (and what its replies set off, one step deep)
 * has been answered by the end. Between reps, so that a rep does not pay for the one before.
 */
async function settled(roundTrip: () => Promise<unknown>): Promise<void> {
  await roundTrip();
  await roundTrip();
}

const INSTANCE = { host: '127.0.0.1', port: 8080 } as const;

async function rxzkDiscovery(ctx: BenchContext, base: string): Promise<DiscoverySide> {
  const discoverer = await ctx.client();
  const seen = new Arrival<readonly string[]>();
  const subscription = discover(discoverer, base).subscribe({
    next: (instances) => seen.offer(instances.map((i) => i.id)),
    error: (error: Error) => console.error(`discover ${base}: ${error.message}`),
  });
  await seen.expect(() => true, STEP_TIMEOUT_MS, `rxzk discover ${base}: first list`);
  return {
    seen,
    async registrant() {
      const zk = await ctx.client();
      return {
        register(id) {
          const registration = register(zk, base, { id, ...INSTANCE }).subscribe({
            error: (error: Error) => console.error(`register ${id}: ${error.message}`),
          });
          return { withdraw: () => registration.unsubscribe() };
        },
        settle: () => settled(() => zk.exists('/')),
        close: () => ctx.closeClient(zk),
      };
    },
    settle: () => settled(() => discoverer.exists('/')),
    async close() {
      subscription.unsubscribe();
      await ctx.closeClient(discoverer);
    },
  };
}

async function rawDiscovery(ctx: BenchContext, base: string): Promise<DiscoverySide> {
  const discoverer = await ctx.rawClient();
  const seen = new Arrival<readonly string[]>();
  const stop = rawDiscover(
    discoverer,
    base,
    (instances) => seen.offer(instances.map((i) => i.id)),
    (error) => console.error(`raw discovery ${base}: ${error.message}`),
  );
  await seen.expect(() => true, STEP_TIMEOUT_MS, `raw discovery ${base}: first list`);
  return {
    seen,
    async registrant() {
      const raw = await ctx.rawClient();
      return {
        register(id) {
          const path = `${base}/${id}`;
          const json = JSON.stringify({ id, ...INSTANCE, payload: null, registeredAt: Date.now() });
          rawRegister(raw, path, json, (error) => {
            if (error) console.error(`raw register ${path}: ${error.message}`);
          });
          return {
            withdraw: () =>
              raw.remove(path, -1, (error) => {
                if (error) console.error(`raw deregister ${path}: ${error.message}`);
              }),
          };
        },
        settle: () => settled(() => rawCall((cb) => raw.exists('/', undefined, cb))),
        close: () => ctx.closeRaw(raw),
      };
    },
    settle: () => settled(() => rawCall((cb) => discoverer.exists('/', undefined, cb))),
    async close() {
      stop();
      await ctx.closeRaw(discoverer);
    },
  };
}

const listed = (id: string) => (ids: readonly string[]) => ids.includes(id);
const notListed = (id: string) => (ids: readonly string[]) => !ids.includes(id);

/** register → seen, `count` times on one registrant session; each instance is withdrawn (untimed) before the next. */
async function registrations(side: DiscoverySide, count: number, what: string): Promise<Contender> {
  const registrant = await side.registrant();
  let next = 0;
  return {
    async round(): Promise<Sample> {
      const latenciesMs: number[] = [];
      for (let i = 0; i < count; i++) {
        const id = `i${next++}`;
        const t0 = performance.now();
        const registration = registrant.register(id);
        const at = await side.seen.expect(listed(id), STEP_TIMEOUT_MS, `${what}: ${id} seen`);
        latenciesMs.push(at - t0);
        registration.withdraw();
        await side.seen.expect(notListed(id), STEP_TIMEOUT_MS, `${what}: ${id} withdrawn`);
        await Promise.all([registrant.settle(), side.settle()]);
      }
      return { latenciesMs, ops: count, elapsedMs: latenciesMs.reduce((a, b) => a + b, 0) };
    },
    async close() {
      await Promise.allSettled([registrant.close(), side.close()]);
    },
  };
}

/** session close → gone, `count` times: each instance registers on a new session (untimed), then the session is closed. */
function closes(side: DiscoverySide, count: number, what: string): Contender {
  let next = 0;
  return {
    async round(): Promise<Sample> {
      const latenciesMs: number[] = [];
      for (let i = 0; i < count; i++) {
        const id = `s${next++}`;
        const registrant = await side.registrant();
        registrant.register(id);
        await side.seen.expect(listed(id), STEP_TIMEOUT_MS, `${what}: ${id} seen`);
        await Promise.all([registrant.settle(), side.settle()]);
        const t0 = performance.now();
        const closing = registrant.close();
        const at = await side.seen.expect(notListed(id), STEP_TIMEOUT_MS, `${what}: ${id} gone`);
        latenciesMs.push(at - t0);
        await closing;
        await side.settle();
      }
      return { latenciesMs, ops: count, elapsedMs: latenciesMs.reduce((a, b) => a + b, 0) };
    },
    close: () => side.close(),
  };
}

async function rxzkRegistrations(ctx: BenchContext, count: number): Promise<Contender> {
  return registrations(await rxzkDiscovery(ctx, await createdPath(ctx, 'services-rxzk')), count, 'rxzk');
}

async function rawRegistrations(ctx: BenchContext, count: number): Promise<Contender> {
  return registrations(await rawDiscovery(ctx, await createdPath(ctx, 'services-raw')), count, 'raw');
}

async function rxzkCloses(ctx: BenchContext, count: number): Promise<Contender> {
  return closes(await rxzkDiscovery(ctx, await createdPath(ctx, 'services-rxzk')), count, 'rxzk');
}

async function rawCloses(ctx: BenchContext, count: number): Promise<Contender> {
  return closes(await rawDiscovery(ctx, await createdPath(ctx, 'services-raw')), count, 'raw');
}
