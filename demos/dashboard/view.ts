/**
 * The dashboard's model and its two renderings, as pure functions: the redrawn console frame
 * (on a terminal) and the event lines that describe each change (when piped).
 */
import type { ServerHealth } from '../../src/admin/server-health.js';
import type { ConnectionState, ElectionView, ServiceInstance, ZNode } from '../../src/index.js';
import { queueOrder } from '../../src/advanced.js';

/** Who holds the lock, with which fencing token, and who waits, in order: each by instance. */
export interface LockView {
  holder: string | null;
  token: bigint | null;
  waiters: string[];
}

/** The worker instance behind a session, and its process when known. */
export interface Owner {
  id: string;
  pid?: number;
}

export interface DashboardState {
  connection: ConnectionState;
  session: string | null;
  instances: readonly ServiceInstance[];
  election: ElectionView;
  /**
   * The election's head node belongs to a process that is gone (killed, crashed): the node, and
   * with it the lead, stays until that process's session expires. Nobody alive leads meanwhile.
   */
  leaderGone: boolean;
  lock: LockView;
  config: unknown;
  health: readonly ServerHealth[];
  /** Processes that have exited; their instances stay registered until their sessions expire. */
  exited: ReadonlySet<number>;
}

export const INITIAL_STATE: DashboardState = {
  connection: 'connecting',
  session: null,
  instances: [],
  election: { leaderId: null, candidates: [] },
  leaderGone: false,
  lock: { holder: null, token: null, waiters: [] },
  config: null,
  health: [],
  exited: new Set(),
};

/**
 * The lock queue from the lock node's children (in sequence order), naming each participant by
 * the worker instance whose session owns it (`owners`: session id → owner). When one worker id
 * has two sessions in the queue (a worker restarted before its old session expired), each is told
 * apart by its process id (or, for a session of unknown process, the end of the session id). A
 * participant whose process has exited is marked `(gone)`: its node stays until its session expires.
 */
export function lockView(
  nodes: ReadonlyMap<string, ZNode>,
  owners: ReadonlyMap<string, Owner>,
  exited: ReadonlySet<number> = new Set(),
): LockView {
  const queue = queueOrder([...nodes.keys()]).map((p) => nodes.get(p.name)!.stat);
  const id = (session: string) => owners.get(session)?.id ?? `session 0x${session}`;
  const sessionsOf = new Map<string, Set<string>>();
  for (const { ephemeralOwner } of queue) {
    sessionsOf.set(id(ephemeralOwner), (sessionsOf.get(id(ephemeralOwner)) ?? new Set()).add(ephemeralOwner));
  }
  const name = (session: string) => {
    const owner = owners.get(session);
    const which = owner?.pid !== undefined ? `pid ${owner.pid}` : `session …${session.slice(-4)}`;
    const base = sessionsOf.get(id(session))!.size > 1 ? `${id(session)} (${which})` : id(session);
    return owner?.pid !== undefined && exited.has(owner.pid) ? `${base} (gone)` : base;
  };
  const [first, ...rest] = queue;
  return {
    holder: first ? name(first.ephemeralOwner) : null,
    token: first ? first.czxid : null,
    waiters: rest.map((stat) => name(stat.ephemeralOwner)),
  };
}

/**
 * Worker instances by session: from the registry (each instance node's ephemeral owner, and the
 * pid in its payload) and from the election (each candidate node's protected name carries its
 * session and id), so that a worker that is not registered yet still has a name. What is `known`
 * already (what the workers reported of themselves, what was seen before) stays; what is seen
 * here only adds to it.
 */
export function ownersOf(
  registry: ReadonlyMap<string, ZNode>,
  candidates: readonly string[] | null,
  known: ReadonlyMap<string, Owner> = new Map(),
): Map<string, Owner> {
  const owners = new Map<string, Owner>(known);
  for (const p of queueOrder(candidates ?? [])) if (!owners.has(p.session)) owners.set(p.session, { id: p.id });
  for (const [id, node] of registry) {
    const pid = pidOf(node.data);
    const session = node.stat.ephemeralOwner;
    if (pid !== undefined && owners.get(session)?.pid === undefined) owners.set(session, { id, pid });
    else if (!owners.has(session)) owners.set(session, { id });
  }
  return owners;
}

/** Whether the election's head node belongs to a process that has exited. */
export function headIsGone(
  candidates: readonly string[] | null,
  owners: ReadonlyMap<string, Owner>,
  exited: ReadonlySet<number>,
): boolean {
  const head = queueOrder(candidates ?? [])[0];
  const pid = head ? owners.get(head.session)?.pid : undefined;
  return pid !== undefined && exited.has(pid);
}

function pidOf(data: Buffer): number | undefined {
  try {
    const pid = (JSON.parse(data.toString()) as { payload?: { pid?: unknown } }).payload?.pid;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
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
    const gone = after.leaderGone ? `, but its process is gone: nobody leads until its session expires` : '';
    out.push(['leader', `${leaderId ?? '(none)'}${previous}${gone}; line: ${line(candidates)}`]);
  } else if (after.leaderGone && !before.leaderGone && leaderId) {
    out.push(['leader', `${leaderId}'s process is gone: nobody leads until its session expires`]);
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
    if (statusOf(previous) !== statusOf(h)) out.push(['server', `${h.server} ${h.error ? `unreachable: ${h.error.message}` : h.mode}`]);
  }
  return out;
}

/** A server's mode, or `unreachable`: what a change of is an event. */
function statusOf(h: ServerHealth | undefined): string | undefined {
  return h?.error ? 'unreachable' : h?.mode;
}

/** The health line printed now and then when piped. */
export function healthLine(h: ServerHealth): string {
  if (h.error) return `${h.server} unreachable: ${h.error.message}`;
  const l = h.latencyMs;
  return (
    `${h.server} ${h.mode}, latency ${l ? `${l.min}/${l.avg}/${l.max}` : '?'} ms, ${h.outstanding} outstanding, ` +
    `${h.connections} connections, ${h.znodes} znodes, ${h.watches ?? '?'} watches`
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

/** The terminal's size, in characters. */
export interface FrameSize {
  columns: number;
  rows: number;
}

/** What a terminal that reports no size (0 or nothing) is taken to be. */
export const DEFAULT_SIZE: FrameSize = { columns: 80, rows: 24 };

/** The size to draw for: the terminal's, or {@link DEFAULT_SIZE} where it reports none. */
export function frameSize(stream: { columns?: number; rows?: number }): FrameSize {
  return {
    columns: stream.columns && stream.columns > 0 ? stream.columns : DEFAULT_SIZE.columns,
    rows: stream.rows && stream.rows > 0 ? stream.rows : DEFAULT_SIZE.rows,
  };
}

/**
 * The whole console frame, made to fit `size`: at most `rows - 1` lines (the cursor takes the
 * last), none wider than `columns`. The title and the connection state come first and always
 * show; the instance list and the servers fold into a line each when there is not room for them
 * and a few events; the newest events fill what is left.
 */
export function renderFrame(state: DashboardState, info: FrameInfo, paint: Paint, size: FrameSize = DEFAULT_SIZE): string {
  const budget = Math.max(1, size.rows - 1);
  const label = (text: string) => paint('dim', text.padEnd(12));
  const uptime = Math.floor((Date.now() - info.startedAt) / 1000);
  const clock = `${String(Math.floor(uptime / 60)).padStart(2, '0')}:${String(uptime % 60).padStart(2, '0')}`;
  const connectionColor =
    state.connection === 'connected' || state.connection === 'reconnected' ? 'green' : state.connection === 'suspended' ? 'yellow' : 'red';

  const head: string[] = [
    `${paint('bold', 'rxzk live demo')}  ${paint('dim', `up ${clock} · Ctrl-C stops · ZooKeeper ${info.where}`)}`,
    `${label('connection')}${paint(connectionColor, state.connection)}${state.session ? paint('dim', `  session 0x${state.session}`) : ''}`,
  ];

  const serverRows = (folded: boolean) =>
    state.health.flatMap((h) => {
      if (h.error) return [`${label('server')}${paint('red', `${h.server} unreachable`)}`];
      const l = h.latencyMs;
      const latency = `latency ${l ? `${l.min}/${l.avg}/${l.max}` : '?'} ms`;
      const mode = h.mode ?? '?';
      const watches = h.watches ?? '?';
      if (folded) return [`${label('server')}${paint('green', mode)}  ${h.server} · ${latency} · ${h.znodes} znodes · ${watches} watches`];
      return [
        `${label('server')}${paint('green', mode)}  ${paint('dim', h.server)}  ${latency}`,
        `${label('')}${h.outstanding} outstanding · ${h.connections} connections · ${h.znodes} znodes · ${watches} watches`,
      ];
    });

  const isGone = (i: ServiceInstance) => {
    const pid = (i.payload as { pid?: number } | null)?.pid;
    return pid !== undefined && state.exited.has(pid);
  };
  const serviceRows = (folded: boolean) => {
    const header = `${label('services')}${state.instances.length} registered`;
    if (folded) {
      const ids = state.instances.map((i) => `${i.id}${isGone(i) ? ' (gone)' : ''}`).join(', ');
      return [`${header}${ids ? `: ${ids}` : ''}`];
    }
    return [
      header,
      ...state.instances.map((i) => {
        const leading = i.id === state.election.leaderId && !state.leaderGone ? paint('green', '  leader') : '';
        const gone = isGone(i) ? paint('yellow', '  process gone: registered until its session expires') : '';
        return `${label('')}${paint('bold', i.id)}  ${describeInstance(i)}${leading}${gone}`;
      }),
    ];
  };

  const leader = state.election.leaderId
    ? state.leaderGone
      ? paint('yellow', `(nobody alive) ${state.election.leaderId}'s process is gone; its node leads until its session expires`)
      : paint('green', state.election.leaderId)
    : paint('yellow', '(none)');
  const tail: string[] = [
    `${label('leader')}${leader}`,
    `${label('candidates')}${line(state.election.candidates)}`,
    `${label('lock')}${
      state.lock.holder
        ? `${paint('magenta', state.lock.holder)} holds it ${paint('dim', `(fencing token ${state.lock.token})`)}`
        : paint('dim', 'free')
    }`,
    `${label('waiting')}${state.lock.waiters.join(', ') || paint('dim', 'nobody')}`,
    `${label('config')}${paint('cyan', JSON.stringify(state.config))}`,
  ];

  // The fullest layout that leaves room for a few events, else the most folded one.
  const MIN_EVENTS = 3;
  const layouts = [
    { servers: false, services: false, blanks: true },
    { servers: false, services: true, blanks: true },
    { servers: true, services: true, blanks: true },
    { servers: true, services: true, blanks: false },
  ];
  const build = (layout: (typeof layouts)[number]) => {
    const blank = layout.blanks ? [''] : [];
    return [...head, ...serverRows(layout.servers), ...blank, ...serviceRows(layout.services), ...tail, ...blank];
  };
  const body =
    layouts.map(build).find((rows) => rows.length + 1 + MIN_EVENTS <= budget) ?? build(layouts[layouts.length - 1]!);
  const room = budget - body.length - 1;
  const rows = room > 0 ? [...body, paint('dim', 'events'), ...info.events.slice(-room).map((e) => `  ${e}`)] : body;
  return rows
    .slice(0, budget)
    .map((row) => fitWidth(row, size.columns))
    .join('\n');
}

/** `text` cut to `columns` visible characters (color codes kept whole), ending in `…` when cut. */
export function fitWidth(text: string, columns: number): string {
  if (visibleLength(text) <= columns) return text;
  let out = '';
  let visible = 0;
  for (let i = 0; i < text.length; ) {
    const escape = /^\u001b\[[0-9;]*m/.exec(text.slice(i));
    if (escape) {
      out += escape[0];
      i += escape[0].length;
      continue;
    }
    const char = String.fromCodePoint(text.codePointAt(i)!);
    if (visible === columns - 1) break;
    out += char;
    visible += 1;
    i += char.length;
  }
  // Close any color left open, so the cut does not bleed into the next line.
  return `${out}…${out.includes('\u001b[') ? '\u001b[0m' : ''}`;
}

/** Characters a line takes on the screen (color codes take none). */
export function visibleLength(text: string): number {
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

function describeInstance(i: ServiceInstance): string {
  const pid = (i.payload as { pid?: number } | null)?.pid;
  return `${i.host}:${i.port}${pid ? `, pid ${pid}` : ''}`;
}

function line(candidates: readonly string[]): string {
  return candidates.length > 0 ? candidates.join(' → ') : '(empty)';
}
