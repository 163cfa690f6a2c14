/**
 * The dashboard's model and its two renderings, as pure functions: the redrawn console frame
 * (on a terminal) and the event lines that describe each change (when piped).
 */
import type { ConnectionState, ElectionView, ServiceInstance, ZNode } from '../../src/index.js';
import { queueOrder } from '../../src/index.js';

/** One server's health, from `srvr` and `mntr`. */
export interface ServerHealth {
  server: string;
  mode: string;
  version?: string;
  latencyMs?: { min: number; avg: number; max: number };
  outstanding?: number;
  connections?: number;
  znodes?: number;
  watches?: number;
  error?: string;
}

/** Who holds the lock, with which fencing token, and who waits, in order. */
export interface LockView {
  holder: string | null;
  token: bigint | null;
  waiters: string[];
}

export interface DashboardState {
  connection: ConnectionState;
  session: string | null;
  instances: readonly ServiceInstance[];
  election: ElectionView;
  lock: LockView;
  config: unknown;
  health: readonly ServerHealth[];
}

export const INITIAL_STATE: DashboardState = {
  connection: 'connecting',
  session: null,
  instances: [],
  election: { leaderId: null, candidates: [] },
  lock: { holder: null, token: null, waiters: [] },
  config: null,
  health: [],
};

/**
 * The lock queue from the lock node's children (in sequence order), naming each participant by
 * the worker whose session owns it (`owners`: session id → worker id). When one worker id has
 * two sessions in the queue (a worker restarted before its old session expired), each is told
 * apart by the end of its session id.
 */
export function lockView(nodes: ReadonlyMap<string, ZNode>, owners: ReadonlyMap<string, string>): LockView {
  const queue = queueOrder([...nodes.keys()]).map((p) => nodes.get(p.name)!.stat);
  const id = (session: string) => owners.get(session) ?? `session 0x${session}`;
  const sessionsOf = new Map<string, Set<string>>();
  for (const { ephemeralOwner } of queue) {
    sessionsOf.set(id(ephemeralOwner), (sessionsOf.get(id(ephemeralOwner)) ?? new Set()).add(ephemeralOwner));
  }
  const name = (session: string) =>
    sessionsOf.get(id(session))!.size > 1 ? `${id(session)} (session …${session.slice(-4)})` : id(session);
  const [first, ...rest] = queue;
  return {
    holder: first ? name(first.ephemeralOwner) : null,
    token: first ? first.czxid : null,
    waiters: rest.map((stat) => name(stat.ephemeralOwner)),
  };
}

/**
 * Worker ids by session: from the registry (each instance node's ephemeral owner) and from the
 * election (each candidate node's protected name carries its session and id), so that a worker
 * that is not registered yet still has a name.
 */
export function ownersOf(registry: ReadonlyMap<string, ZNode>, candidates: readonly string[] | null): Map<string, string> {
  const owners = new Map<string, string>();
  for (const p of queueOrder(candidates ?? [])) owners.set(p.session, p.id);
  for (const [id, node] of registry) owners.set(node.stat.ephemeralOwner, id);
  return owners;
}

/** A change worth an event line: its category and what happened. */
export type Change = [category: string, text: string];

/** What changed between two states, as event lines. */
export function changes(before: DashboardState, after: DashboardState): Change[] {
  const out: Change[] = [];
  if (after.connection !== before.connection) {
    out.push(['connection', `${after.connection}${after.session ? ` (session 0x${after.session})` : ''}`]);
  }

  const was = new Map(before.instances.map((i) => [i.id, i]));
  const now = new Map(after.instances.map((i) => [i.id, i]));
  for (const [id, instance] of now) {
    const previous = was.get(id);
    if (!previous) out.push(['services', `${id} joined (${describeInstance(instance)})`]);
    else if (previous.registeredAt !== instance.registeredAt) {
      out.push(['services', `${id} registered again (${describeInstance(instance)})`]);
    }
  }
  for (const id of was.keys()) if (!now.has(id)) out.push(['services', `${id} left`]);

  const { leaderId, candidates } = after.election;
  if (leaderId !== before.election.leaderId) {
    const previous = before.election.leaderId ? ` (was ${before.election.leaderId})` : '';
    out.push(['leader', `${leaderId ?? '(none)'}${previous}; line: ${line(candidates)}`]);
  } else if (line(candidates) !== line(before.election.candidates)) {
    out.push(['election', `line: ${line(candidates)}`]);
  }

  if (after.lock.holder !== before.lock.holder || after.lock.token !== before.lock.token) {
    out.push([
      'lock',
      after.lock.holder
        ? `${after.lock.holder} holds it (fencing token ${after.lock.token}); waiting: ${after.lock.waiters.join(', ') || 'nobody'}`
        : 'free',
    ]);
  }

  if (JSON.stringify(after.config) !== JSON.stringify(before.config)) out.push(['config', JSON.stringify(after.config)]);

  for (const h of after.health) {
    const previous = before.health.find((b) => b.server === h.server);
    if (previous?.mode !== h.mode) out.push(['server', `${h.server} ${h.error ? `unreachable: ${h.error}` : h.mode}`]);
  }
  return out;
}

/** The health line printed now and then when piped. */
export function healthLine(h: ServerHealth): string {
  if (h.error) return `${h.server} unreachable: ${h.error}`;
  const l = h.latencyMs;
  return (
    `${h.server} ${h.mode}, latency ${l ? `${l.min}/${l.avg}/${l.max}` : '?'} ms, ${h.outstanding} outstanding, ` +
    `${h.connections} connections, ${h.znodes} znodes, ${h.watches} watches`
  );
}

export type Paint = (style: 'bold' | 'dim' | 'green' | 'yellow' | 'red' | 'cyan' | 'magenta', text: string) => string;

export interface FrameInfo {
  /** Where ZooKeeper is, for the title. */
  where: string;
  startedAt: number;
  /** The latest event lines, newest last. */
  events: readonly string[];
}

/** The whole console frame. */
export function renderFrame(state: DashboardState, info: FrameInfo, paint: Paint): string {
  const label = (text: string) => paint('dim', text.padEnd(12));
  const uptime = Math.floor((Date.now() - info.startedAt) / 1000);
  const clock = `${String(Math.floor(uptime / 60)).padStart(2, '0')}:${String(uptime % 60).padStart(2, '0')}`;
  const connectionColor =
    state.connection === 'connected' || state.connection === 'reconnected' ? 'green' : state.connection === 'suspended' ? 'yellow' : 'red';

  const rows: string[] = [
    `${paint('bold', 'rxzk live demo')}  ${paint('dim', `ZooKeeper ${info.where} · up ${clock} · Ctrl-C stops`)}`,
    '',
    `${label('connection')}${paint(connectionColor, state.connection)}${state.session ? paint('dim', `  session 0x${state.session}`) : ''}`,
  ];
  for (const h of state.health) {
    rows.push(
      `${label('server')}${h.error ? paint('red', `${h.server} unreachable`) : `${paint('green', h.mode)}  ${paint('dim', h.server)}`}`,
    );
    if (!h.error) {
      const l = h.latencyMs;
      rows.push(
        `${label('')}latency ${l ? `${l.min}/${l.avg}/${l.max}` : '?'} ms · ${h.outstanding} outstanding · ` +
          `${h.connections} connections · ${h.znodes} znodes · ${h.watches} watches`,
      );
    }
  }
  rows.push('');
  rows.push(`${label('services')}${state.instances.length} registered`);
  for (const i of state.instances) {
    const leading = i.id === state.election.leaderId ? paint('green', '  leader') : '';
    rows.push(`${label('')}${paint('bold', i.id)}  ${describeInstance(i)}${leading}`);
  }
  rows.push(`${label('leader')}${state.election.leaderId ? paint('green', state.election.leaderId) : paint('yellow', '(none)')}`);
  rows.push(`${label('candidates')}${line(state.election.candidates)}`);
  rows.push(
    `${label('lock')}${
      state.lock.holder
        ? `${paint('magenta', state.lock.holder)} holds it ${paint('dim', `(fencing token ${state.lock.token})`)}`
        : paint('dim', 'free')
    }`,
  );
  rows.push(`${label('waiting')}${state.lock.waiters.join(', ') || paint('dim', 'nobody')}`);
  rows.push(`${label('config')}${paint('cyan', JSON.stringify(state.config))}`);
  rows.push('', paint('dim', 'events'));
  for (const event of info.events) rows.push(`  ${event}`);
  return rows.join('\n');
}

function describeInstance(i: ServiceInstance): string {
  const pid = (i.payload as { pid?: number } | null)?.pid;
  return `${i.host}:${i.port}${pid ? `, pid ${pid}` : ''}`;
}

function line(candidates: readonly string[]): string {
  return candidates.length > 0 ? candidates.join(' → ') : '(empty)';
}
