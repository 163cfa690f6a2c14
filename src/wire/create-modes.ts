import { OpCode } from './opcodes.js';

/** The `flags` of a create request (`CreateMode`). */
export const CreateMode = {
  persistent: 0,
  ephemeral: 1,
  persistentSequential: 2,
  ephemeralSequential: 3,
  /** 3.5.1+: deleted by the server once its last child is gone. */
  container: 4,
  /** 3.5.3+, with `zookeeper.extendedTypesEnabled`: deleted once childless and unchanged for its TTL. */
  persistentWithTTL: 5,
  persistentSequentialWithTTL: 6,
} as const;

export type CreateModeFlag = (typeof CreateMode)[keyof typeof CreateMode];

/**
 * The longest TTL a node can have: the server keeps it in the low 40 bits of the node's
 * ephemeralOwner (`EphemeralType.TTL`), about 34 years.
 */
export const MAX_TTL_MS = 0xff_ffff_ffff;

export function isTTLMode(mode: number): boolean {
  return mode === CreateMode.persistentWithTTL || mode === CreateMode.persistentSequentialWithTTL;
}

export function isKnownCreateMode(mode: number): mode is CreateModeFlag {
  return Number.isInteger(mode) && mode >= 0 && mode <= 6;
}

/**
 * The request type a create goes as, as the Java client picks it: a container as
 * createContainer, a TTL node as createTTL (both answered with the new node's stat), any other
 * node as create2 when the stat is wanted and create (3.4's) otherwise.
 */
export function createOpcode(mode: CreateModeFlag, withStat: boolean): number {
  if (mode === CreateMode.container) return OpCode.createContainer;
  if (isTTLMode(mode)) return OpCode.createTTL;
  return withStat ? OpCode.create2 : OpCode.create;
}
