import { concat, defer, finalize, from, NEVER, Observable, of, shareReplay, switchMap, take, tap } from 'rxjs';
import type { Data } from '../model/data.js';
import type { ZkClient } from '../client/zk-client.js';
import { isChangedMeanwhile } from '../errors/recipe-errors.js';
import { InvalidArgumentError, isInDoubt, NodeExistsError } from '../errors/zk-error.js';
import { retryBackoff } from '../operators/retry-backoff.js';
import { isClosing, isCurrentSession } from './client-session.js';
import { deleteLater } from './leftover-nodes.js';
import { createIfAbsent, deleteIfOwned } from './node-idioms.js';
import type { Participant } from './participation.js';

/** What an {@link EphemeralRegistration} found when it claimed its node. */
export type ClaimOutcome = 'mine' | 'stale';

/**
 * One ephemeral node at a fixed path that belongs to one participant (a service instance, a group
 * member): the effectful side of `register` and `group`.
 *
 * `report$(session)` creates the node, and creates it again whenever it goes. A node at the path
 * owned by `session` is ours (a create re-sent after a lost reply). One owned by another session
 * is a stale node of an earlier incarnation (a fast restart leaves it until the server expires the
 * old session) or a duplicate id: it is waited out (`'stale'` is emitted until it goes), or with
 * `onStale: 'replace'` deleted. Run it on the participation shell, so that every new session
 * claims again.
 */
export class EphemeralRegistration implements Participant<ClaimOutcome> {
  /** A create under way, so that withdrawing can wait for it and remove what it made. */
  private creating: Promise<unknown> | null = null;
  private withdrawn = false;
  /**
   * The sessions this registration made its node in. A node owned by an earlier one of them is
   * ours, left behind when the client presumed that session lost while the server still held it:
   * it is replaced at once, not waited out as another incarnation's would be.
   */
  private readonly ownSessions = new Set<string>();

  /**
   * @param data The node's data, asked for at each create (so that it can carry a timestamp).
   * @param what The recipe, for messages.
   */
  constructor(
    private readonly zk: ZkClient,
    readonly path: string,
    private readonly data: () => Data,
    private readonly onStale: 'wait' | 'replace',
    private readonly what: string,
  ) {}

  /** Claims the node on `session`, and claims it again whenever it goes; emits what each claim found. */
  report$(session: string): Observable<ClaimOutcome> {
    return defer(() => {
      const claimed = this.claim(session); // sends the create at once
      // Watch the path right behind the create: the server answers a session's requests in
      // order, so the watch's read sees what the create left there (ours, or another session's
      // node), and arming it costs no round trip of its own.
      let goneEarly = false;
      const early$ = this.zk.deleted$(this.path).pipe(
        tap(() => (goneEarly = true)),
        shareReplay({ bufferSize: 1, refCount: true }),
      );
      const holding = early$.subscribe({ error: () => undefined });
      return from(claimed).pipe(
        switchMap((outcome) => {
          // Seen missing since the create was sent (it had not landed yet, we replaced a stale
          // node, or someone deleted ours meanwhile): that says nothing about now, so look again.
          const gone$ = goneEarly ? this.zk.deleted$(this.path) : early$;
          return concat(
            of(outcome),
            // Claim again when it goes; not while the client is closing (the server deleted it as
            // it ends the session, and a new one would go with it).
            gone$.pipe(
              take(1),
              switchMap(() => (isClosing(this.zk) ? NEVER : this.report$(session))),
            ),
          );
        }),
        finalize(() => holding.unsubscribe()),
      );
    }).pipe(retryBackoff({ scheduler: this.zk.scheduler }));
  }

  private async claim(session: string): Promise<ClaimOutcome> {
    for (let attempt = 0; attempt < 10; attempt++) {
      if (this.withdrawn) throw new InvalidArgumentError(`${this.what} ${this.path}: withdrawn`);
      if (await this.tracked(createIfAbsent(this.zk, this.path, this.data(), { mode: 'ephemeral', parents: true }))) return this.mine(session);
      const stat = await this.zk.exists(this.path);
      if (!stat) continue; // gone meanwhile: create again
      if (stat.ephemeralOwner === session) return this.mine(session);
      if (this.onStale === 'wait' && !this.ownSessions.has(stat.ephemeralOwner)) return 'stale';
      // Replace in one transaction: the other owner, if alive, sees its node go but finds ours
      // already there, so it waits instead of racing us to re-create it.
      try {
        await this.tracked(
          this.zk.transaction().delete(this.path, { version: stat.version }).create(this.path, this.data(), { mode: 'ephemeral' }).commit(),
        );
        return this.mine(session);
      } catch (error) {
        // Changed or gone meanwhile: look again.
        if (!isChangedMeanwhile(error)) throw error;
      }
    }
    throw new NodeExistsError(`${this.what} ${this.path}: could not claim the node after 10 attempts`, { path: this.path });
  }

  /** Keeps a create under way in view until it settles, for {@link withdraw}. */
  private async tracked<T>(creating: Promise<T>): Promise<T> {
    this.creating = creating;
    try {
      return await creating;
    } finally {
      this.creating = null;
    }
  }

  private mine(session: string): ClaimOutcome {
    this.ownSessions.add(session);
    return 'mine';
  }

  /**
   * Deletes our node (made in this session or an earlier one of ours), once any create under way
   * has landed; resolves when done. If that cannot be known (the session was lost meanwhile, or no
   * reply came), the node is deleted from the next live session, if still ours.
   */
  async withdraw(): Promise<void> {
    this.withdrawn = true;
    await this.creating?.catch(() => undefined);
    try {
      await deleteIfOwned(this.zk, this.path, (owner) => isCurrentSession(this.zk, owner) || this.ownSessions.has(owner));
    } catch (error) {
      if (!isInDoubt(error)) return;
      for (const owner of this.ownSessions) deleteLater(this.zk, this.path, owner);
    }
  }
}
