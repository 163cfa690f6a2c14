import { once } from 'node:events';
import { OPEN_ACL_UNSAFE } from '../../src/model/acl.js';
import { WireSession } from '../../src/wire/wire-session.js';
import { withTimeout } from '../../test/helpers/waiting.js';
import { callbackRound, type CallbackOperation } from '../lib/callback-round.js';
import type { BenchContext } from '../lib/context.js';
import { payload } from '../lib/payload.js';
import { createAll, RECONNECT_DELAY_MS, SESSION_TIMEOUT_MS } from '../lib/raw.js';
import { ratioBar, type Contender, type Scenario } from '../lib/scenario.js';
import { operationCases, rawOperation, type Operation } from './one-shot-operations.js';

const DATA = payload(7);

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
  run: (ctx) =>
    operationCases(ctx, (operation, inFlight) => {
      const perRound = opsPerRound(ctx, operation, inFlight);
      return {
        // The run's warm-up drives rxzk and node-zookeeper-client, not this wire: its code is
        // compiled in a round of its own first, even in a quick run.
        warmUpRounds: Math.max(1, ctx.warmUpRounds),
        bars: inFlight === 1 ? [ratioBar('p50', '<=', 1.05)] : [ratioBar('cpu', '<=', 0.8), ratioBar('p50', '<=', 1.05)],
        rxzk: () => wireSide(ctx, operation, inFlight, perRound),
        raw: () => rawSide(ctx, operation, inFlight, perRound),
      };
    }),
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
  const op = wireOperation(session, operation, base);
  return { round: (round) => callbackRound(op, inFlight, total, round), close: () => session.close() };
}

/** The same operations as `rawOperation`, on the built-in wire. */
function wireOperation(session: WireSession, operation: Operation, base: string): CallbackOperation {
  switch (operation) {
    case 'get':
      return (_slot, _round, _k, done) => session.getData(base, null, (error) => done(error));
    case 'set':
      return (_slot, _round, _k, done) => session.setData(base, DATA, -1, (error) => done(error));
    case 'create+delete':
      return (slot, round, k, done) => {
        const path = `${base}/n-${round}-${slot}-${k}`;
        session.create(path, DATA, OPEN_ACL_UNSAFE, 0, {}, (error) => {
          if (error) return done(error);
          session.delete(path, -1, (deleteError) => done(deleteError));
        });
      };
  }
}

async function rawSide(ctx: BenchContext, operation: Operation, inFlight: number, total: number): Promise<Contender> {
  const base = ctx.path('wire-nzc');
  await createAll(ctx.writer, [base], DATA);
  const raw = await ctx.rawClient();
  const op = rawOperation(raw, operation, base);
  return { round: (round) => callbackRound(op, inFlight, total, round), close: () => ctx.closeRaw(raw) };
}
