/**
 * Where the time of "register → seen" goes: runs the discovery rep of the recipes scenario
 * (one registrant session, one discoverer session, in this one process) for rxzk and for the
 * hand-written floor, and stamps every request each session queues and every socket read it gets,
 * relative to the start of the rep. Prints the median time of each step, keyed by its position in
 * the rep and what it was (`G` the registrant, `D` the discoverer; `Q` a request queued, `R` a
 * socket read of that many bytes), for the orders that occur in most reps.
 *
 *   npm run build
 *   RXZK_BENCH_BUILD=dist node --import tsx --import ./bench/lib/use-build.ts \
 *     bench/tools/discovery-timeline.ts [reps]
 *
 * (`RXZK_BENCH_BUILD` loads the library from the build, as the bench does: tsx's keep-names
 * transform slows the sources.)
 *
 * It patches the wire client's ConnectionManager (`queue`, `onSocketData`), so it is a
 * diagnostic, not a benchmark: compare the two sides' steps, not their totals with other runs.
 */
import { createRequire } from 'node:module';
import type { RawClient } from '../../src/wire/nzc/raw-client.js';
import { connect, discover, register } from '../../src/index.js';
import { startZooKeeper } from '../../src/testing/index.js';
import { OPEN_ACL } from '../lib/raw.js';
import { rawDiscover, rawRegister } from '../lib/raw-recipes.js';

const require = createRequire(import.meta.url);

interface ConnectionManagerClass {
  prototype: {
    queue(this: object, request: { header?: { type: number } }, callback: unknown): unknown;
    onSocketData(this: object, buffer: Buffer): unknown;
  };
}
const ConnectionManager = require('node-zookeeper-client/lib/ConnectionManager.js') as ConnectionManagerClass;
const jute = require('node-zookeeper-client/lib/jute/index.js') as { OP_CODES: Record<string, number> };
const zookeeper = require('node-zookeeper-client') as {
  createClient(connectString: string, options: object): RawClient & { connectionManager: object; once: Function; connect(): void; close(): void };
};

const opNames = new Map(Object.entries(jute.OP_CODES).map(([name, code]) => [code, name]));
let log: [number, string][] | null = null;
let roles = new Map<object, string>();
const queue = ConnectionManager.prototype.queue;
ConnectionManager.prototype.queue = function (request, callback) {
  log?.push([performance.now(), `${roles.get(this) ?? '?'} Q ${opNames.get(request.header?.type ?? -1) ?? '?'}`]);
  return queue.call(this, request, callback);
};
const onSocketData = ConnectionManager.prototype.onSocketData;
ConnectionManager.prototype.onSocketData = function (buffer) {
  if (buffer.length > 0) log?.push([performance.now(), `${roles.get(this) ?? '?'} R ${buffer.length}B`]);
  return onSocketData.call(this, buffer);
};

const reps = Number(process.argv[2] ?? 400);
const warmUp = Math.min(50, Math.floor(reps / 4));
const server = await startZooKeeper({ servers: 1 });
const steps = new Map<string, number[]>();

interface Side {
  register(id: string): () => void;
  settle(): Promise<void>;
  close(): Promise<void>;
}

try {
  for (const side of ['raw', 'rxzk', 'raw', 'rxzk'] as const) {
    let last: string[] = [];
    let waiter: { check: (ids: string[]) => boolean; resolve: () => void } | null = null;
    const offer = (instances: readonly { id: string }[]) => {
      last = instances.map((i) => i.id);
      log?.push([performance.now(), 'EMIT']);
      if (waiter?.check(last)) {
        const { resolve } = waiter;
        waiter = null;
        resolve();
      }
    };
    const until = (check: (ids: string[]) => boolean) =>
      new Promise<void>((resolve) => (check(last) ? resolve() : (waiter = { check, resolve })));
    const base = `/timeline-${side}-${Math.random().toString(36).slice(2)}`;
    const run: Side = side === 'rxzk' ? await rxzkSide(base, offer) : await rawSide(base, offer);
    for (let i = 0; i < reps; i++) {
      const id = `i${i}`;
      log = [];
      const t0 = performance.now();
      const withdraw = run.register(id);
      await until((ids) => ids.includes(id));
      const entries = log;
      log = null;
      if (i >= warmUp) {
        entries.forEach(([t, what], k) => {
          const key = `${side} ${k}:${what}`;
          steps.set(key, [...(steps.get(key) ?? []), t - t0]);
        });
      }
      withdraw();
      await until((ids) => !ids.includes(id));
      await run.settle();
    }
    await run.close();
  }
} finally {
  await server.stop();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const counted = 2 * (reps - warmUp);
for (const [key, times] of [...steps].sort((a, b) => median(a[1]) - median(b[1]))) {
  if (times.length < counted / 3) continue; // an order seen in few reps
  console.log(`${key.padEnd(32)} ${median(times).toFixed(3)} ms  (${times.length} reps)`);
}

async function rxzkSide(base: string, offer: (instances: readonly { id: string }[]) => void): Promise<Side> {
  const discoverer = connect(server.connectString);
  const registrant = connect(server.connectString);
  await Promise.all([discoverer.ready(), registrant.ready()]);
  roles = new Map([
    [managerOf(discoverer), 'D'],
    [managerOf(registrant), 'G'],
  ]);
  await discoverer.create(base);
  const discovering = discover(discoverer, base).subscribe(offer);
  return {
    register(id) {
      const registration = register(registrant, base, { id, host: '127.0.0.1', port: 8080 }).subscribe();
      return () => registration.unsubscribe();
    },
    async settle() {
      for (let i = 0; i < 2; i++) await Promise.all([discoverer.exists('/'), registrant.exists('/')]);
    },
    async close() {
      discovering.unsubscribe();
      await Promise.all([discoverer.close(), registrant.close()]);
    },
  };
}

async function rawSide(base: string, offer: (instances: readonly { id: string }[]) => void): Promise<Side> {
  const open = () =>
    new Promise<ReturnType<typeof zookeeper.createClient>>((resolve) => {
      const client = zookeeper.createClient(server.connectString, { retries: 0 });
      client.once('connected', () => resolve(client));
      client.connect();
    });
  const [discoverer, registrant] = await Promise.all([open(), open()]);
  roles = new Map([
    [discoverer.connectionManager, 'D'],
    [registrant.connectionManager, 'G'],
  ]);
  await new Promise((resolve) => discoverer.create(base, Buffer.alloc(0), OPEN_ACL, 0, resolve));
  const stop = rawDiscover(discoverer, base, offer, (error) => console.error(error));
  const exists = (client: RawClient) => new Promise((resolve) => client.exists('/', undefined, resolve));
  return {
    register(id) {
      const path = `${base}/${id}`;
      const json = JSON.stringify({ id, host: '127.0.0.1', port: 8080, payload: null, registeredAt: Date.now() });
      rawRegister(registrant, path, json, () => undefined);
      return () => registrant.remove(path, -1, () => undefined);
    },
    async settle() {
      for (let i = 0; i < 2; i++) await Promise.all([exists(discoverer), exists(registrant)]);
    },
    async close() {
      stop();
      discoverer.close();
      registrant.close();
    },
  };
}

function managerOf(zk: object): object {
  // The wire client behind an rxzk client (internal): connection.rawClient.connectionManager.
  return (zk as unknown as { connection: { rawClient: { connectionManager: object } } }).connection.rawClient.connectionManager;
}
