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
