/**
 * Measures memory in a process of its own (run with `node --expose-gc --import tsx`), for the
 * memory scenario: one contender (`rxzk` or `raw`) per process, so neither inherits the other's
 * heap. Prints one JSON line: `{ "figures": { "<case>.<heap|external|rss>": bytes per item } }`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type ZkClient } from '../../src/index.js';
import type { RawClient } from '../../src/wire/nzc/raw-client.js';
import { closeRaw, connectRaw } from '../../test/helpers/raw.js';
import { eventually } from '../../test/helpers/waiting.js';
import { RAW_CLIENT_SETTINGS, RECONNECT_DELAY_MS, SESSION_TIMEOUT_MS } from '../lib/raw.js';
import { rawWatchData } from '../lib/raw-watch.js';
import { RawTree } from '../lib/raw-tree.js';
import { firstValueFrom, filter, timeout } from 'rxjs';

export interface ProbeConfig {
  readonly side: 'rxzk' | 'raw';
  readonly connectString: string;
  /** Idle clients to open. */
  readonly clients: number;
  /** Paths to open one stream on each (they exist). */
  readonly streamPaths: readonly string[];
  /** One path for the extra subscribers. */
  readonly sharedPath: string;
  readonly extraSubscribers: number;
  /** Root of an existing tree, and its node count. */
  readonly treeRoot: string;
  readonly treeNodes: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

interface Usage {
  heap: number;
  external: number;
  rss: number;
}

async function usage(): Promise<Usage> {
  if (!gc) throw new Error('run with --expose-gc');
  // Let pending callbacks finish and buffers be released before collecting.
  await sleep(50);
  gc();
  gc();
  const u = process.memoryUsage();
  return { heap: u.heapUsed, external: u.external, rss: u.rss };
}

const figures: Record<string, number> = {};

function record(name: string, before: Usage, after: Usage, count: number): void {
  figures[`${name}.heap`] = (after.heap - before.heap) / count;
  figures[`${name}.external`] = (after.external - before.external) / count;
  figures[`${name}.rss`] = (after.rss - before.rss) / count;
}

/** How long a probe waits for its clients and streams to be in place. */
const WAIT_MS = 30_000;

async function rxzkClient(config: ProbeConfig): Promise<ZkClient> {
  const zk = connect(config.connectString, { sessionTimeoutMs: SESSION_TIMEOUT_MS, reconnectDelayMs: RECONNECT_DELAY_MS });
  await zk.ready({ timeoutMs: 15_000 });
  return zk;
}

async function idleClients(config: ProbeConfig): Promise<void> {
  // One client first, so that what every client shares (modules, pools) is in the baseline.
  const warm = config.side === 'rxzk' ? await rxzkClient(config) : await connectRaw(config.connectString, RAW_CLIENT_SETTINGS);
  const before = await usage();
  const zks: ZkClient[] = [];
  const raws: RawClient[] = [];
  for (let i = 0; i < config.clients; i++) {
    if (config.side === 'rxzk') zks.push(await rxzkClient(config));
    else raws.push(await connectRaw(config.connectString, RAW_CLIENT_SETTINGS));
  }
  const after = await usage();
  record('client', before, after, config.clients);
  await Promise.all([...zks.map((zk) => zk.close()), ...raws.map((raw) => closeRaw(raw))]);
  if (config.side === 'rxzk') await (warm as ZkClient).close();
  else await closeRaw(warm as RawClient);
}

async function openStreams(config: ProbeConfig): Promise<void> {
  const n = config.streamPaths.length;
  if (config.side === 'rxzk') {
    const zk = await rxzkClient(config);
    const latest = new Array<unknown>(n);
    let seen = 0;
    const before = await usage();
    const subscriptions = config.streamPaths.map((path, i) =>
      zk.data$(path).subscribe((node) => {
        if (latest[i] === undefined) seen++;
        latest[i] = node;
      }),
    );
    await eventually(() => seen === n, `${n} data$ streams`, WAIT_MS);
    const after = await usage();
    record('stream', before, after, n);
    for (const s of subscriptions) s.unsubscribe();
    await zk.close();
  } else {
    const raw = await connectRaw(config.connectString, RAW_CLIENT_SETTINGS);
    const latest = new Map<string, Buffer | null | undefined>();
    const before = await usage();
    const stops = config.streamPaths.map((path) => rawWatchData(raw, path, (data) => latest.set(path, data)));
    await eventually(() => latest.size === n, `${n} raw watch loops`, WAIT_MS);
    const after = await usage();
    record('stream', before, after, n);
    for (const stop of stops) stop();
    await closeRaw(raw);
  }
}

async function extraSubscribers(config: ProbeConfig): Promise<void> {
  const m = config.extraSubscribers;
  let seen = 0;
  if (config.side === 'rxzk') {
    const zk = await rxzkClient(config);
    const first = zk.data$(config.sharedPath).subscribe(() => seen++);
    await eventually(() => seen === 1, 'the first subscriber', WAIT_MS);
    const before = await usage();
    const subscriptions = Array.from({ length: m }, () => zk.data$(config.sharedPath).subscribe(() => seen++));
    await eventually(() => seen === m + 1, `${m} extra subscribers`, WAIT_MS);
    const after = await usage();
    record('subscriber', before, after, m);
    for (const s of subscriptions) s.unsubscribe();
    first.unsubscribe();
    await zk.close();
  } else {
    // The raw floor: one watch loop, and a list of local callbacks it calls.
    const raw = await connectRaw(config.connectString, RAW_CLIENT_SETTINGS);
    const listeners: ((data: Buffer | null | undefined) => void)[] = [() => seen++];
    const stop = rawWatchData(raw, config.sharedPath, (data) => {
      for (const listener of listeners) listener(data);
    });
    await eventually(() => seen === 1, 'the first callback', WAIT_MS);
    const before = await usage();
    for (let i = 0; i < m; i++) listeners.push(() => seen++);
    const after = await usage();
    record('subscriber', before, after, m);
    stop();
    await closeRaw(raw);
  }
}

async function treeNodes(config: ProbeConfig): Promise<void> {
  if (config.side === 'rxzk') {
    const zk = await rxzkClient(config);
    const before = await usage();
    const tree$ = zk.tree$(config.treeRoot);
    const subscription = tree$.subscribe();
    await firstValueFrom(tree$.pipe(filter((t) => t.size === config.treeNodes), timeout(60_000)));
    const after = await usage();
    record('tree-node', before, after, config.treeNodes);
    subscription.unsubscribe();
    await zk.close();
  } else {
    const raw = await connectRaw(config.connectString, RAW_CLIENT_SETTINGS);
    const before = await usage();
    let loaded = false;
    const tree = new RawTree(
      raw,
      config.treeRoot,
      () => (loaded = true),
      (error) => {
        throw error;
      },
    );
    await eventually(() => loaded, 'the raw tree', WAIT_MS);
    const after = await usage();
    record('tree-node', before, after, tree.nodes.size);
    tree.stop();
    await closeRaw(raw);
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ProbeConfig;
  const bail = setTimeout(() => {
    console.error('memory probe: took too long');
    process.exit(2);
  }, 120_000);
  bail.unref();
  await idleClients(config);
  await openStreams(config);
  await extraSubscribers(config);
  await treeNodes(config);
  process.stdout.write(`${JSON.stringify({ figures })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`memory probe: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
