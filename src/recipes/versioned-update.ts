import { randomBytes } from 'node:crypto';
import { firstValueFrom, timer } from 'rxjs';
import type { ZNode } from '../model/stat.js';
import type { ZkClient } from '../client/zk-client.js';
import { isChangedMeanwhile, WriteOutcomeUnknownError } from '../errors/recipe-errors.js';
import { BadVersionError, isInDoubt, NoNodeError } from '../errors/zk-error.js';
import { backoffDelay } from '../operators/retry-backoff.js';
import { createIfAbsent, getOrNull } from './node-idioms.js';

/**
 * What became of a conditional write whose reply was lost, judged from the node as it is now:
 * - `applied`: it took effect;
 * - `not-applied`: it did not, and it never will (the node moved on without it);
 * - `pending`: not yet, but it still could (the node is still at the version it expected);
 * - `unknown`: it cannot be told any more.
 */
export type WriteOutcome = 'applied' | 'not-applied' | 'pending' | 'unknown';

/** A conditional write, as its outcome is judged. */
export interface WriteAttempt {
  /** The version it expected. */
  readonly expectedVersion: number;
  /** czxid of the node it was made against. */
  readonly czxid: bigint;
  /** The data it wrote. */
  readonly data: Buffer;
  /** The unique token it carried (for data formats that keep one). */
  readonly token: string;
}

/** What to do with the node as it is: write (and resolve with `result` once written), or not. */
export type UpdatePlan<R> = { readonly write: Buffer; readonly result: R } | { readonly done: R };

/** How {@link versionedUpdate} reads, writes and judges. */
export interface VersionedUpdate<R> {
  /** The operation, for messages (`'counter /hits: add'`). */
  readonly what: string;
  /**
   * The data to create the node with when it does not exist (the counter's 0, the configuration's
   * defaults); the update then goes on from it. Without it, `plan` is given `null` for an absent
   * node, and must not ask to write.
   */
  initial?(): Buffer;
  /** Decides from the node what to write; `token` is this attempt's unique token. */
  plan(node: ZNode | null, token: string): UpdatePlan<R>;
  /** Judges an earlier attempt whose reply was lost, from the node as it is now. */
  outcome(node: ZNode | null, attempt: WriteAttempt): WriteOutcome;
  /** Give up after this many conflicting writes (BadVersion) in a row. */
  readonly maxConflicts: number;
}

/** A short unique token for one write attempt. */
export function writeToken(): string {
  return randomBytes(8).toString('hex');
}


/**
 * Optimistic concurrency on one node: read it, plan a write, and write it only if the node is still
 * at the version that was read; on a conflict, read again and plan again. An absent node is first
 * created with the `initial` data (whoever creates it first, the content is the same starting
 * point), so that every write of a change is a conditional set: a create cannot be made
 * conditional on what it replaces, and the client re-sends it after a lost reply.
 *
 * A conditional write is not re-sent after a connection loss (a repeat of one that took effect
 * would report a conflict that is not one), so a lost reply leaves the write in doubt. It is never
 * simply repeated: the next read judges it with `outcome`. If it took effect the update is done;
 * if it did not (and cannot any more) the update goes on from the node as it is; if it still could,
 * the next attempt expects the same version, so at most one of them takes effect; and if it cannot
 * be told, the update fails with {@link WriteOutcomeUnknownError} rather than risk doing it twice.
 */
export async function versionedUpdate<R>(zk: ZkClient, path: string, update: VersionedUpdate<R>): Promise<R> {
  const doubts: { attempt: WriteAttempt; result: R }[] = [];
  let conflicts = 0;
  let hiccups = 0;
  const hiccup = async (error: unknown) => {
    if (++hiccups > 10) throw error;
    await firstValueFrom(timer(backoffDelay(hiccups), zk.scheduler));
  };

  for (let round = 0; ; round++) {
    // Each round either writes, backs off, or learns something; this only stops a node that keeps
    // being deleted and created from holding us forever.
    if (round > update.maxConflicts + 30) {
      throw new BadVersionError(`${update.what}: gave up after ${round} rounds of reads and writes`, { path });
    }
    let node: ZNode | null;
    try {
      node = await getOrNull(zk, path);
    } catch (error) {
      if (!isInDoubt(error)) throw error;
      await hiccup(error);
      continue;
    }

    for (const doubt of [...doubts]) {
      const outcome = update.outcome(node, doubt.attempt);
      if (outcome === 'applied') return doubt.result;
      if (outcome === 'unknown') {
        throw new WriteOutcomeUnknownError(
          `${update.what}: the reply to a write was lost and the node changed too much since to tell whether it took effect; it was not repeated`,
          { path },
        );
      }
      if (outcome === 'not-applied') doubts.splice(doubts.indexOf(doubt), 1);
    }

    if (node === null && update.initial) {
      try {
        await createIfAbsent(zk, path, update.initial(), { parents: true });
      } catch (error) {
        if (!isInDoubt(error)) throw error;
        await hiccup(error);
      }
      continue;
    }

    const token = writeToken();
    const plan = update.plan(node, token);
    if ('done' in plan) return plan.done;
    if (node === null) throw new NoNodeError(`${update.what}: the node does not exist`, { path });
    const attempt: WriteAttempt = { expectedVersion: node.stat.version, czxid: node.stat.czxid, data: plan.write, token };
    try {
      await zk.set(path, plan.write, { version: node.stat.version });
      return plan.result;
    } catch (error) {
      // Someone else wrote first, or deleted the node.
      if (isChangedMeanwhile(error)) {
        if (++conflicts >= update.maxConflicts) {
          throw new BadVersionError(`${update.what}: gave up after ${conflicts} conflicting writes`, { path, cause: error });
        }
        // Spread out writers that collided, so that one of them wins the next round.
        await firstValueFrom(timer(Math.random() * Math.min(100, 2 ** conflicts), zk.scheduler));
      } else if (isInDoubt(error)) {
        doubts.push({ attempt, result: plan.result });
        await hiccup(error);
      } else {
        throw error;
      }
    }
  }
}
