/**
 * Protected sequential node names, as Curator's `withProtection` and kazoo's lock use them.
 *
 * A sequential create whose reply is lost leaves a node the client cannot name: creating again
 * would leave two. So every sequential node of a recipe carries a unique id (and the session that
 * made it, and the participant's id), and after a lost reply the client looks for its own id
 * among the children and adopts that node instead of creating another.
 *
 *     _c_<uuid>-<session hex>-<encoded participant id>-<10-digit sequence>
 *
 * Queues are ordered by the sequence number, never by the whole name (the uuids would shuffle
 * them).
 */

/** A parsed protected name. */
export interface ProtectedName {
  /** The node name as it is in ZooKeeper. */
  readonly name: string;
  /** The unique id of the create that made it. */
  readonly uuid: string;
  /** The session (hex) that made it. */
  readonly session: string;
  /** The participant's id (decoded). */
  readonly id: string;
  /** The sequence number ZooKeeper appended. */
  readonly sequence: number;
}

const PROTECTED = /^_c_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([0-9a-f]+)-([^-]*)-(\d{10})$/;

/** Encodes a participant id for a node name: no `/` and no `-` (the field separator). */
export function encodeId(id: string): string {
  return encodeURIComponent(id).replace(/-/g, '%2D').replace(/\./g, '%2E');
}

/** The name prefix of a protected sequential create (ZooKeeper appends the sequence). */
export function protectedPrefix(uuid: string, session: string, id: string): string {
  return `_c_${uuid}-${session}-${encodeId(id)}-`;
}

/** Parses a protected name; `null` for any other child (they are not part of the queue). */
export function parseProtectedName(name: string): ProtectedName | null {
  const match = PROTECTED.exec(name);
  if (!match) return null;
  let id: string;
  try {
    id = decodeURIComponent(match[3]!);
  } catch {
    return null;
  }
  return { name, uuid: match[1]!, session: match[2]!, id, sequence: Number(match[4]) };
}

/** The protected children of a node, in queue order (by sequence number). */
export function queueOrder(children: readonly string[]): ProtectedName[] {
  const parsed: ProtectedName[] = [];
  for (const child of children) {
    const p = parseProtectedName(child);
    if (p) parsed.push(p);
  }
  return parsed.sort((a, b) => a.sequence - b.sequence);
}

/** Whose naming a queue node follows. */
export type NodeScheme = 'rxzk' | 'curator' | 'kazoo';

/**
 * A sequential child of a queue node (a lock, an election, a semaphore's lock or leases), in
 * whichever client's naming made it. Every queue recipe counts every contender, whoever made it,
 * in the order of its sequence number: ZooKeeper keeps one counter per parent, so that is the
 * order in which the server created them.
 */
export interface Contender {
  /** The node name as it is in ZooKeeper. */
  readonly name: string;
  /** Whose naming it follows; `null` for a sequential child in no known scheme (still a contender). */
  readonly scheme: NodeScheme | null;
  /**
   * What the name says the node is, for the foreign schemes: Curator's lock name (`lock-`,
   * `latch-`, `__READ__`, `__WRIT__`, `lease-`) or kazoo's node name (`__lock__`, `__rlock__`).
   * `null` for rxzk's names (the participant id says it) and unknown ones.
   */
  readonly marker: string | null;
  /** The sequence number ZooKeeper appended. */
  readonly sequence: number;
  /** The unique id of the create that made it (a UUID, or kazoo's 32 hex digits), when the name has one. */
  readonly uuid: string | null;
  /** The session (hex) that made it: only rxzk's names carry it. */
  readonly session: string | null;
  /**
   * The participant's id when the name carries it (rxzk's names); `null` otherwise: Curator's
   * LeaderLatch and kazoo's Lock keep it in the node's data.
   */
  readonly id: string | null;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/**
 * Curator's recipes: `_c_<uuid>-` (withProtection) and the recipe's lock name before the sequence.
 * Curator itself orders by what follows the last lock name, so a name with anything else before
 * the lock name is one of its contenders too.
 */
const CURATOR = new RegExp(`^(?:_c_(${UUID})-)?.*?(lock-|latch-|__READ__|__WRIT__|lease-)(\\d{10})$`);
/** kazoo's Lock, ReadLock and WriteLock (and Election, a Lock): `<uuid hex>__lock__<sequence>`. */
const KAZOO = /^(?:([0-9a-f]{32})|.*?)(__lock__|__rlock__)(\d{10})$/;
/** Any sequential node: ZooKeeper appends its counter as 10 digits. */
const SEQUENTIAL = /(\d{10})$/;

/**
 * Parses a child of a queue node in any known scheme: rxzk's protected names, Curator's
 * (`_c_<uuid>-lock-<seq>`, `-latch-`, `-__READ__`, `-__WRIT__`, `-lease-`) and kazoo's
 * (`<uuid hex>__lock__<seq>`, `__rlock__`). A child that ends in a sequence number but follows
 * none of them is a contender of unknown scheme (`scheme: null`); a child without a sequence
 * number is not a contender at all (`null`).
 */
export function parseContender(name: string): Contender | null {
  const own = parseProtectedName(name);
  if (own) return { name, scheme: 'rxzk', marker: null, sequence: own.sequence, uuid: own.uuid, session: own.session, id: own.id };
  const kazoo = KAZOO.exec(name);
  if (kazoo) return foreign(name, 'kazoo', kazoo[2]!, kazoo[3]!, kazoo[1]);
  const curator = CURATOR.exec(name);
  if (curator) return foreign(name, 'curator', curator[2]!, curator[3]!, curator[1]);
  const sequential = SEQUENTIAL.exec(name);
  if (sequential) return foreign(name, null, null, sequential[1]!, undefined);
  return null;
}

function foreign(name: string, scheme: NodeScheme | null, marker: string | null, sequence: string, uuid: string | undefined): Contender {
  return { name, scheme, marker, sequence: Number(sequence), uuid: uuid ?? null, session: null, id: null };
}

/** What {@link contenderOrder} makes of a node's children. */
export interface Contenders {
  /** Every contender, in the server's order (by sequence number). */
  readonly queue: Contender[];
  /** Children in no known scheme: sequential ones are in `queue` too, the others are not. */
  readonly strangers: string[];
}

/**
 * Every contender among a queue node's children, whatever client made it, ordered by sequence
 * number; and the children that follow no known scheme, for the caller to report.
 */
export function contenderOrder(children: readonly string[]): Contenders {
  const queue: Contender[] = [];
  const strangers: string[] = [];
  for (const child of children) {
    const contender = parseContender(child);
    if (contender) queue.push(contender);
    if (!contender || contender.scheme === null) strangers.push(child);
  }
  queue.sort((a, b) => a.sequence - b.sequence);
  return { queue, strangers };
}
