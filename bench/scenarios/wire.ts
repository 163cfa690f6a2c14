import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { OPEN_ACL_UNSAFE } from '../../src/client/acl.js';
import type { RawClient } from '../../src/client/raw-client.js';
import type { WireCallback } from '../../src/wire/wire-client.js';
import { WireSession } from '../../src/wire/wire-session.js';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { payload } from '../lib/payload.js';
import { createAll, OPEN_ACL, RECONNECT_DELAY_MS, SESSION_TIMEOUT_MS } from '../lib/raw.js';
import { withTimeout } from '../lib/arrival.js';
import { ratioBar, type Contender, type Sample, type Scenario } from '../lib/scenario.js';

const IN_FLIGHT = [1, 16, 128] as const;
const DATA = payload(7);

type Operation = 'get' | 'set' | 'create+delete';

/** One operation on either wire: `done` is called once, with the error if it failed. */
type Op = (slot: number, round: number, k: number, done: (error: unknown) => void) => void;

/**
 * The wire client of rxzk's own (`src/wire`, not yet under the client) against
 * node-zookeeper-client, both driven by the same callback loop: client CPU per operation and
 * latency. In the tables, "rxzk" is the built-in wire, "raw" node-zookeeper-client.
 */
export const wire: Scenario = {
  id: 'wire',
  title: 'Wire: built-in WireSession vs node-zookeeper-client, same callbacks',
  notes: [
    '"rxzk" is the built-in wire (src/wire WireSession), "raw" node-zookeeper-client 1.1.3; both run the same callback loop.',
    'Each in-flight slot issues its next operation from the previous one\'s callback; create+delete counts as one operation.',
  ],
  async run(ctx) {
    const results = [];
    for (const operation of ['get', 'set', 'create+delete'] as const) {
      for (const inFlight of IN_FLIGHT) {
        const perRound = opsPerRound(ctx, operation, inFlight);
        results.push(
          await compareCase(ctx, {
            name: `${operation}, ${inFlight === 1 ? 'sequential' : `${inFlight} in flight`}`,
            rounds: ctx.rounds * 2,
            bars: inFlight === 1 ? [ratioBar('p50', '<=', 1.05)] : [ratioBar('cpu', '<=', 0.8), ratioBar('p50', '<=', 1.05)],
            rxzk: () => wireSide(ctx, operation, inFlight, perRound),
            raw: () => rawSide(ctx, operation, inFlight, perRound),
          }),
        );
      }
    }
    return results;
  },
};

function opsPerRound(ctx: BenchContext, operation: Operation, inFlight: number): number {
  const base = inFlight === 1 ? ctx.scale(300, 800) : inFlight === 16 ? ctx.scale(2_000, 5_000) : ctx.scale(3_000, 8_000);
  return operation === 'create+delete' ? base / 2 : base;
}

async function wireSide(ctx: BenchContext, operation: Operation, inFlight: number, total: number): Promise<Contender> {
  const base = ctx.path('wire-builtin');
  await createAll(ctx.writer, [base], DATA);
  const session = new WireSession(ctx.connectString, {
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    reconnectDelayMs: RECONNECT_DELAY_MS,
  });
  const connected = once(session, 'connected');
  session.start();
  await withTimeout(connected, 15_000, `the wire session could not connect to ${ctx.connectString}`);
  const done = (callback: (error: unknown) => void): WireCallback<unknown> => (error) => callback(error);
  const ops: Record<Operation, Op> = {
    get: (_s, _r, _k, cb) => session.getData(base, null, done(cb)),
    set: (_s, _r, _k, cb) => session.setData(base, DATA, -1, done(cb)),
    'create+delete': (slot, round, k, cb) => {
      const path = `${base}/n-${round}-${slot}-${k}`;
      session.create(path, DATA, OPEN_ACL_UNSAFE, 0, {}, (error) => {
        if (error) return cb(error);
        session.delete(path, -1, done(cb));
      });
    },
  };
  return { round: (round) => runRound(ops[operation], inFlight, total, round), close: () => session.close() };
}

async function rawSide(ctx: BenchContext, operation: Operation, inFlight: number, total: number): Promise<Contender> {
  const base = ctx.path('wire-nzc');
  await createAll(ctx.writer, [base], DATA);
  const raw: RawClient = await ctx.rawClient();
  const ops: Record<Operation, Op> = {
    get: (_s, _r, _k, cb) => raw.getData(base, undefined, (error) => cb(error)),
    set: (_s, _r, _k, cb) => raw.setData(base, DATA, -1, (error) => cb(error)),
    'create+delete': (slot, round, k, cb) => {
      const path = `${base}/n-${round}-${slot}-${k}`;
      raw.create(path, DATA, OPEN_ACL, 0, (error) => {
        if (error) return cb(error);
        raw.remove(path, -1, (removeError) => cb(removeError));
      });
    },
  };
  return { round: (round) => runRound(ops[operation], inFlight, total, round), close: () => ctx.closeRaw(raw) };
}

/** `total` operations, `inFlight` at a time, each slot issuing its next from the callback. */
function runRound(op: Op, inFlight: number, total: number, round: number): Promise<Sample> {
  return new Promise<Sample>((resolve, reject) => {
    const latenciesMs: number[] = [];
    let issued = 0;
    let completed = 0;
    let failed = false;
    const started = performance.now();
    const next = (slot: number): void => {
      if (issued >= total || failed) return;
      const k = issued++;
      const t0 = performance.now();
      op(slot, round, k, (error) => {
        if (error) {
          failed = true;
          return reject(error instanceof Error ? error : new Error(String(error)));
        }
        latenciesMs.push(performance.now() - t0);
        if (++completed === total) resolve({ latenciesMs, ops: total, elapsedMs: performance.now() - started });
        else next(slot);
      });
    };
    for (let i = 0; i < inFlight; i++) next(i);
  });
}
