import { performance } from 'node:perf_hooks';
import type { RawClient } from '../../src/wire/nzc/raw-client.js';
import type { ZkClient } from '../../src/index.js';
import { callbackRound, type CallbackOperation } from '../lib/callback-round.js';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { payload } from '../lib/payload.js';
import { createAll, OPEN_ACL } from '../lib/raw.js';
import { ratioBar, type CaseResult, type CaseSpec, type Contender, type Scenario } from '../lib/scenario.js';

const IN_FLIGHT = [1, 16, 128] as const;

export type Operation = 'get' | 'set' | 'create+delete';

const DATA = payload(7);

/**
 * 5. One-shot operations through rxzk's promise API against raw callbacks: get, set, and
 * create+delete (one op = both requests), one at a time and with 16 and 128 in flight.
 */
export const oneShotOperations: Scenario = {
  id: 'one-shot-operations',
  title: 'One-shot operations: promise API vs raw callbacks',
  notes: [
    'Each in-flight slot issues its next operation as soon as the previous one completes (rxzk: await in a loop; raw: from the callback).',
    'create+delete counts as one operation (two requests); latency is per operation.',
  ],
  run: (ctx) =>
    operationCases(ctx, (operation, inFlight) => {
      const perRound = opsPerRound(ctx, operation, inFlight);
      return {
        bars: [ratioBar('ops', '>=', 0.9)],
        rxzk: () => rxzkSide(ctx, operation, inFlight, perRound),
        raw: () => rawSide(ctx, operation, inFlight, perRound),
      };
    }),
};

/**
 * One case per operation (get, set, create+delete) and number in flight (1, 16, 128), in that
 * order, each named after both: the grid of this scenario and of `wire`.
 */
export async function operationCases(
  ctx: BenchContext,
  spec: (operation: Operation, inFlight: number) => Omit<CaseSpec, 'name' | 'rounds'>,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const operation of ['get', 'set', 'create+delete'] as const) {
    for (const inFlight of IN_FLIGHT) {
      results.push(
        await compareCase(ctx, {
          name: `${operation}, ${inFlight === 1 ? 'sequential' : `${inFlight} in flight`}`,
          rounds: ctx.rounds * 2,
          ...spec(operation, inFlight),
        }),
      );
    }
  }
  return results;
}

function opsPerRound(ctx: BenchContext, operation: Operation, inFlight: number): number {
  const base = inFlight === 1 ? ctx.scale(200, 500) : inFlight === 16 ? ctx.scale(1_000, 2_500) : ctx.scale(1_500, 4_000);
  return operation === 'create+delete' ? base / 2 : base;
}

async function rxzkSide(ctx: BenchContext, operation: Operation, inFlight: number, total: number): Promise<Contender> {
  const base = ctx.path(`ops-rxzk`);
  await createAll(ctx.writer, [base], DATA);
  const zk = await ctx.client();
  const op = rxzkOperation(zk, operation, base);
  return {
    async round(round) {
      const latenciesMs: number[] = [];
      let issued = 0;
      const slot = async (slotIndex: number) => {
        while (issued < total) {
          const k = issued++;
          const t0 = performance.now();
          await op(slotIndex, round, k);
          latenciesMs.push(performance.now() - t0);
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: inFlight }, (_, i) => slot(i)));
      return { latenciesMs, ops: total, elapsedMs: performance.now() - started };
    },
    close: () => ctx.closeClient(zk),
  };
}

function rxzkOperation(zk: ZkClient, operation: Operation, base: string): (slot: number, round: number, k: number) => Promise<unknown> {
  switch (operation) {
    case 'get':
      return () => zk.get(base);
    case 'set':
      return () => zk.set(base, DATA);
    case 'create+delete':
      return async (slot, round, k) => {
        const path = `${base}/n-${round}-${slot}-${k}`;
        await zk.create(path, DATA);
        await zk.delete(path);
      };
  }
}

async function rawSide(ctx: BenchContext, operation: Operation, inFlight: number, total: number): Promise<Contender> {
  const base = ctx.path(`ops-raw`);
  await createAll(ctx.writer, [base], DATA);
  const raw = await ctx.rawClient();
  const op = rawOperation(raw, operation, base);
  return {
    round: (round) => callbackRound(op, inFlight, total, round),
    close: () => ctx.closeRaw(raw),
  };
}

/** An operation of the raw client, as the callback loops of this scenario and `wire` run it. */
export function rawOperation(raw: RawClient, operation: Operation, base: string): CallbackOperation {
  switch (operation) {
    case 'get':
      return (_slot, _round, _k, done) => raw.getData(base, undefined, (error) => done(error));
    case 'set':
      return (_slot, _round, _k, done) => raw.setData(base, DATA, -1, (error) => done(error));
    case 'create+delete':
      return (slot, round, k, done) => {
        const path = `${base}/n-${round}-${slot}-${k}`;
        raw.create(path, DATA, OPEN_ACL, 0, (error) => {
          if (error) return done(error);
          raw.remove(path, -1, (removeError) => done(removeError));
        });
      };
  }
}
