import { combineLatest, Observable } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import type { ZNode } from '../model/stat.js';
import { isNodeExists, isNoNode, QueueClaimLostError } from '../errors/recipe-errors.js';
import { ConnectionLossError, isInDoubt, SessionExpiredError } from '../errors/zk-error.js';
import { joinPath } from '../paths/paths.js';
import { currentSession, isCurrentSession } from './client-session.js';
import { deleteLater } from './leftover-nodes.js';
import { deleteIfOwned, deleteIfPresent } from './node-idioms.js';
import { queueItems, type QueueEntry } from './operators/queue-items.js';

/** An item a consumer has claimed: its data, and the two ways to end the claim. */
export interface QueueItem {
  /** The item's node name (unique in the queue). */
  readonly name: string;
  /** The item node. */
  readonly path: string;
  /** What was offered. */
  readonly data: Buffer;
  /** The priority it was offered with (lower comes first). */
  readonly priority: number;
  /** When it was offered (the item node's ctime, ms since the epoch). */
  readonly offeredAt: number;
  /**
   * Removes the item from the queue (deletes the item and its claim in one transaction). Resolves
   * once it is gone. Rejects with {@link QueueClaimLostError} if the claim is gone (the session
   * that claimed it was lost): the item may then be with another consumer already, or come again.
   * Calling it again returns the same promise.
   */
  ack(): Promise<void>;
  /** Gives the item back (deletes the claim): the next consumer gets it. Resolves once done. */
  release(): Promise<void>;
}

/** The nodes of one queue. */
export interface QueuePaths {
  readonly items: string;
  readonly claims: string;
}

/** A claimed item; the claim is the ephemeral node `<queue>/claims/<item name>` of `session`. */
export class ClaimedItem implements QueueItem {
  readonly name: string;
  readonly path: string;
  readonly data: Buffer;
  readonly priority: number;
  readonly offeredAt: number;
  private acking: Promise<void> | null = null;
  private releasing: Promise<void> | null = null;

  constructor(
    private readonly zk: ZkClient,
    entry: QueueEntry,
    node: ZNode,
    readonly claimPath: string,
    /** The session that holds the claim: the claim lives exactly as long as it does. */
    readonly session: string,
  ) {
    this.name = entry.name;
    this.path = node.path;
    this.data = node.data;
    this.priority = entry.priority;
    this.offeredAt = node.stat.ctime;
  }

  ack(): Promise<void> {
    if (this.releasing && !this.acking) return Promise.reject(this.lost('it was released'));
    if (!this.acking) {
      const acking = this.acknowledge();
      this.acking = acking;
      // A transient failure may be tried again; a lost claim is final.
      acking.catch((error: unknown) => {
        if (!(error instanceof QueueClaimLostError) && this.acking === acking) this.acking = null;
      });
    }
    return this.acking;
  }

  release(): Promise<void> {
    this.releasing ??= this.giveBack();
    return this.releasing;
  }

  private lost(why: string): QueueClaimLostError {
    return new QueueClaimLostError(`queue item ${this.path}: ${why}`, { path: this.path });
  }

  private async acknowledge(): Promise<void> {
    /** Whether an earlier attempt may have taken effect (it may also land after a later one). */
    let doubt = false;
    for (let attempt = 0; attempt < 10; attempt++) {
      // Only the claiming session may delete the item: an ack sent on a later session could take
      // the claim of the consumer that has the item now. Operations made while this session is
      // current run on it or fail when it is lost, never on the next one.
      if (!isCurrentSession(this.zk, this.session)) throw this.lost('its claim went with the session that made it; the item may be delivered again');
      try {
        await this.zk.transaction().delete(this.claimPath).delete(this.path).commit();
        return;
      } catch (error) {
        if (error instanceof SessionExpiredError) {
          throw this.lost('the session was lost before the acknowledgement completed; it may or may not have been applied');
        }
        // NoNode: the transaction was refused, nothing was applied. Otherwise we cannot know yet.
        const refused = isNoNode(error);
        if (!refused && !isInDoubt(error)) throw error;
        doubt ||= !refused;
      }
      // A transaction is never re-sent: find out where things stand. Nobody but the claim's holder
      // deletes an item, and the transaction deletes the claim with it.
      let item: unknown;
      let claim: { ephemeralOwner: string } | null;
      try {
        [item, claim] = await Promise.all([this.zk.exists(this.path), this.zk.exists(this.claimPath)]);
      } catch (error) {
        if (error instanceof SessionExpiredError) {
          throw this.lost('the session was lost before the acknowledgement was confirmed; it may or may not have been applied');
        }
        throw error;
      }
      const ours = claim?.ephemeralOwner === this.session && isCurrentSession(this.zk, this.session);
      if (!item && ours) {
        // Deleted by hand while we held it: leave no claim behind.
        await deleteIfPresent(this.zk, this.claimPath);
        return;
      }
      if (!item && doubt && isCurrentSession(this.zk, this.session)) return; // our transaction took effect
      if (!ours) throw this.lost('its claim is gone; the item may be delivered again');
    }
    throw new ConnectionLossError(`queue item ${this.path}: could not acknowledge it after 10 attempts`, { path: this.path });
  }

  private async giveBack(): Promise<void> {
    if (this.acking) {
      // Acknowledged already, or being acknowledged: nothing to give back.
      const acked = await this.acking.then(
        () => true,
        () => false,
      );
      if (acked) return;
    }
    // A claim made on a session the client presumed lost may still be on the server (that session
    // may live on there a while): delete it from the next live session, if still that session's.
    if (!isCurrentSession(this.zk, this.session)) return deleteLater(this.zk, this.claimPath, this.session);
    await deleteIfPresent(this.zk, this.claimPath).catch((error: unknown) => {
      if (!isInDoubt(error)) throw error;
      deleteLater(this.zk, this.claimPath, this.session);
    });
  }
}

/**
 * Claims items for one consumer, one at a time. Attempts are serialised, including the clean-up of
 * an attempt that was cancelled while its claim was in flight, so a consumer never holds a claim it
 * does not know about.
 */
export class QueueClaimer {
  /** The last attempt and its clean-up. */
  private pending: Promise<unknown> = Promise.resolve();
  /** Items whose claim create had no clear outcome: the claim may be ours. */
  private readonly doubtful = new Set<string>();

  constructor(
    private readonly zk: ZkClient,
    private readonly paths: QueuePaths,
  ) {}

  /**
   * Claims the first available item on the live session `session`, waiting until there is one;
   * emits it and completes. Unsubscribing before that gives back a claim that lands afterwards.
   */
  next$(session: string): Observable<ClaimedItem> {
    return new Observable<ClaimedItem>((subscriber) => {
      let latest: QueueEntry[] = [];
      let busy = false;
      let dirty = false;
      let closed = false;

      const attempt = () => {
        busy = true;
        dirty = false;
        const entries = latest;
        const run = this.pending.then(async () => {
          if (closed) return null;
          const item = await this.claimFirst(entries, session);
          if (item && closed) {
            await item.release().catch(() => undefined);
            return null;
          }
          return item;
        });
        this.pending = run.catch(() => undefined);
        run.then(
          (item) => {
            busy = false;
            if (closed) return;
            if (item) {
              subscriber.next(item);
              subscriber.complete();
            } else if (dirty) {
              attempt();
            }
          },
          (error: unknown) => {
            busy = false;
            if (!closed) subscriber.error(error);
          },
        );
      };

      // Every consumer waiting for an item is woken by each change of the queue: ZooKeeper has
      // no cheaper way to wait for "any child". Claims settle who gets what.
      const lists = combineLatest([this.zk.children$(this.paths.items), this.zk.children$(this.paths.claims)])
        .pipe(queueItems())
        .subscribe({
          next: (entries) => {
            latest = entries;
            if (busy) dirty = true;
            else attempt();
          },
          error: (error: unknown) => subscriber.error(error),
        });
      return () => {
        closed = true;
        lists.unsubscribe();
      };
    });
  }

  /** Gives back claims whose create had no clear outcome (best effort). */
  dispose(): void {
    const names = [...this.doubtful];
    this.doubtful.clear();
    const session = currentSession(this.zk);
    if (session === null) return;
    void this.pending.then(() =>
      Promise.all(names.map((name) => this.dropClaim(joinPath(this.paths.claims, name), session).catch(() => undefined))),
    );
  }

  private async claimFirst(entries: readonly QueueEntry[], session: string): Promise<ClaimedItem | null> {
    // A claim of ours whose create had no clear outcome hides its item from the list (it looks
    // claimed): adopt it first, or the item would wait for our session to end.
    for (const name of [...this.doubtful]) {
      const entry = entries.find((e) => e.name === name);
      const item = entry ? await this.claim(entry, session) : null;
      this.doubtful.delete(name);
      if (item) return item;
    }
    for (const entry of entries) {
      if (entry.claimed) continue;
      const item = await this.claim(entry, session);
      if (item) return item;
    }
    return null;
  }

  /** Claims one item; `null` if another consumer has it or it is gone. */
  private async claim(entry: QueueEntry, session: string): Promise<ClaimedItem | null> {
    const claimPath = joinPath(this.paths.claims, entry.name);
    const itemPath = joinPath(this.paths.items, entry.name);
    try {
      await this.zk.create(claimPath, session, { mode: 'ephemeral', parents: true });
    } catch (error) {
      if (isNodeExists(error)) {
        // Another consumer's, or ours from a create that was re-sent after a lost reply.
        const stat = await this.zk.exists(claimPath);
        if (!stat || stat.ephemeralOwner !== session) return null;
      } else {
        if (isInDoubt(error)) this.doubtful.add(entry.name);
        throw error;
      }
    }
    try {
      const node = await this.zk.get(itemPath);
      return new ClaimedItem(this.zk, entry, node, claimPath, session);
    } catch (error) {
      // Acknowledged by someone else between our look at the list and our claim: drop the claim.
      await this.dropClaim(claimPath, session).catch(() => this.doubtful.add(entry.name));
      if (isNoNode(error)) return null;
      throw error;
    }
  }

  /** Deletes a claim if it is held by `session`, while that session is current. */
  private dropClaim(claimPath: string, session: string): Promise<void> {
    return deleteIfOwned(this.zk, claimPath, (owner) => owner === session && isCurrentSession(this.zk, session));
  }
}
