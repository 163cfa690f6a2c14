import { randomUUID } from 'node:crypto';
import { protectedPrefix, type NodeScheme } from './protected-names.js';
import { checkOneOf } from './recipe-arguments.js';

/**
 * How a queue recipe names the node it creates, so that another client on the same znodes
 * recognises it as a contender and orders it where the server put it.
 *
 * Each name starts with a fresh unique id, so that a create whose reply was lost is found again
 * among the children (Curator's `withProtection`, kazoo's uuid prefix, rxzk's protected names).
 */
export interface NodeNaming {
  /** The prefix of a new node's name (for a sequential mode, ZooKeeper appends the sequence). */
  prefix(session: string, id: string): string;
  /** Sequential for every queue node; kazoo's semaphore leases have fixed names. */
  readonly mode: 'ephemeral-sequential' | 'ephemeral';
}

/** What a participant is in its recipe: decides the name a foreign client expects. */
export type QueueRole = 'lock' | 'leader' | 'reader' | 'writer' | 'semaphore-lock' | 'lease';

/** rxzk's protected names: `_c_<uuid>-<session>-<id>-<seq>`, the participant id readable from the name. */
export const RXZK_NAMING: NodeNaming = Object.freeze({
  prefix: (session: string, id: string) => protectedPrefix(randomUUID(), session, id),
  mode: 'ephemeral-sequential' as const,
});

/** Curator's protected names: `_c_<uuid>-<lock name><seq>` (the lock name is `lock-`, `latch-`...). */
function curatorNaming(lockName: string): NodeNaming {
  return Object.freeze({ prefix: () => `_c_${randomUUID()}-${lockName}`, mode: 'ephemeral-sequential' as const });
}

/** kazoo's lock names: `<uuid hex><node name><seq>` (the node name is `__lock__` or `__rlock__`). */
function kazooNaming(nodeName: string): NodeNaming {
  return Object.freeze({ prefix: () => `${hexId()}${nodeName}`, mode: 'ephemeral-sequential' as const });
}

/** kazoo's semaphore lease: an ephemeral node named by a uuid's 32 hex digits, not sequential. */
const KAZOO_LEASE: NodeNaming = Object.freeze({ prefix: () => hexId(), mode: 'ephemeral' as const });

function hexId(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * The names each client's recipes give their nodes (Curator 5: InterProcessMutex, LeaderLatch,
 * InterProcessReadWriteLock, InterProcessSemaphoreV2; kazoo 2: Lock, Election, ReadLock,
 * WriteLock, Semaphore).
 */
const NAMINGS: Readonly<Record<Exclude<NodeScheme, 'rxzk'>, Readonly<Record<QueueRole, NodeNaming>>>> = {
  curator: {
    lock: curatorNaming('lock-'),
    leader: curatorNaming('latch-'),
    reader: curatorNaming('__READ__'),
    writer: curatorNaming('__WRIT__'),
    'semaphore-lock': curatorNaming('lock-'),
    lease: curatorNaming('lease-'),
  },
  kazoo: {
    lock: kazooNaming('__lock__'),
    // kazoo's Election is a Lock.
    leader: kazooNaming('__lock__'),
    reader: kazooNaming('__rlock__'),
    writer: kazooNaming('__lock__'),
    'semaphore-lock': kazooNaming('__lock__'),
    lease: KAZOO_LEASE,
  },
};

/** How a participant of `role` names its node in `scheme`. */
export function namingFor(scheme: NodeScheme, role: QueueRole): NodeNaming {
  return scheme === 'rxzk' ? RXZK_NAMING : NAMINGS[scheme][role];
}

/**
 * Checks a `scheme` option; `undefined` is rxzk's own.
 *
 * @throws InvalidArgumentError naming the call and the value.
 */
export function checkScheme(scheme: unknown, what: string): NodeScheme {
  return scheme === undefined ? 'rxzk' : checkOneOf<NodeScheme>(scheme, ['rxzk', 'curator', 'kazoo'], what, 'scheme');
}
