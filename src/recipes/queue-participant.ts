import { defer, EMPTY, expand, map, NEVER, Observable, of, race, repeat, Subscription, switchMap } from 'rxjs';
import type { Data } from '../model/data.js';
import type { Stat } from '../model/stat.js';
import type { ZkClient } from '../client/zk-client.js';
import { isDeletedAnyway } from '../errors/recipe-errors.js';
import { ClientClosedError, isInDoubt } from '../errors/zk-error.js';
import { retryBackoff } from '../operators/retry-backoff.js';
import { baseName, joinPath } from '../paths/paths.js';
import { isClosing } from './client-session.js';
import { positionIn, type PositionRule, type QueuePosition } from './operators/queue-position.js';
import { deleteLater } from './leftover-nodes.js';
import { childrenOrEmpty } from './node-idioms.js';
import { RXZK_NAMING, type NodeNaming } from './node-naming.js';
import type { Participant } from './participation.js';
import { createProtected } from './protected-create.js';

/** One evaluation of a participant's place. */
export type Standing =
  /** Our node is in the queue, owned by the current session, at `position`. */
  | { readonly kind: 'placed'; readonly node: string; readonly stat: Stat; readonly position: QueuePosition }
  /** Our node was deleted by someone else (or is not ours): we join again with a new one. */
  | { readonly kind: 'evicted'; readonly node: string };

/**
 * The effectful side of every queue recipe (leader election, locks, semaphores): one participant's
 * protected sequential node under `path`, and its place in the queue.
 *
 * `report$(session)` joins (one node per session, created with protection against lost replies),
 * then evaluates: it lists the queue, checks that its node is there and owned by `session`, and
 * emits where it stands. Then it waits for exactly two things: the node `holders`
 * places ahead to go (watched with getData, so no watch is left once it is gone) and its own
 * node to go (deleted by someone else: it emits `evicted` and joins again). Any other change to
 * the queue does not wake it. When the one ahead goes, the whole queue is read and evaluated
 * again (never "the one ahead left, so it is our turn").
 *
 * `holders` may instead be a {@link PositionRule} deciding the position (and the node to wait
 * on) from the child names, e.g. a read/write lock's.
 *
 * Run it on the participation shell (`participation`): a suspension cancels an evaluation in
 * progress, and the next live state evaluates afresh (with the same node on `reconnected`, a new
 * one on a new session).
 */
export class QueueParticipant implements Participant<Standing> {
  private node: string | null = null;
  private nodeSession: string | null = null;
  private joining: Promise<string> | null = null;
  private joiningSession: string | null = null;
  private withdrawn = false;
  private readonly rule: PositionRule;

  constructor(
    private readonly zk: ZkClient,
    private readonly path: string,
    private readonly id: string,
    holders: number | PositionRule = 1,
    private readonly data: Data | null = null,
    /**
     * Also wait for the queue's first node to go, not only the one ahead: for a leader election,
     * where every candidate reports who leads. Costs a second watch per participant, and wakes
     * every participant when the first one leaves; never wanted for a lock's waiters.
     */
    private readonly followHead = false,
    /** How the node is named: rxzk's protected names, or Curator's or kazoo's (`scheme`). */
    private readonly naming: NodeNaming = RXZK_NAMING,
  ) {
    this.rule = typeof holders === 'function' ? holders : (children, own) => positionIn(children, own, holders);
  }

  /** The participant's node on `session`, if it has one there. */
  nodeOn(session: string): string | null {
    return this.nodeSession === session ? this.node : null;
  }

  /** Where the participant stands on the live session `session`, each time it may have moved. */
  report$(session: string): Observable<Standing> {
    return defer(() => this.join(session)).pipe(
      switchMap((node) => this.follow$(node, session)),
      // Evicted: join again with a new node; not while the client is closing (the server deleted
      // our node as it ends the session, and a new one would go with it).
      repeat({ delay: () => (isClosing(this.zk) ? NEVER : of(undefined)) }),
      retryBackoff({ scheduler: this.zk.scheduler }),
    );
  }

  /**
   * Leaves the queue: deletes the participant's node (also one whose create is still under way)
   * and resolves once it is gone, or its session is (which takes it too).
   */
  async withdraw(): Promise<void> {
    this.withdrawn = true;
    const pending = this.joining;
    if (pending) await pending.catch(() => undefined);
    const node = this.node;
    this.node = null;
    if (node) await this.remove(node, this.nodeSession);
  }

  private follow$(node: string, session: string): Observable<Standing> {
    const own = baseName(node);
    // The node's owner is read with the first evaluation only: it never changes, the session
    // cannot change under one follow (whileLive starts over on every state), and presence comes
    // from the list each time. A queue node deleted under us (it can only go once empty) means
    // our node is gone too.
    let ownStat: Promise<Stat | null> | null = null;
    const evaluate$ = defer(() => Promise.all([childrenOrEmpty(this.zk, this.path), (ownStat ??= this.zk.exists(node))])).pipe(
      map(([children, stat]): Standing => {
        const position = this.rule(children, own);
        // A node that is not there, or not owned by this session (one from an earlier session of
        // ours), is not us.
        if (!position.present || !stat || stat.ephemeralOwner !== session) return this.evicted(node);
        return { kind: 'placed', node, stat, position };
      }),
    );
    // Evaluated again whenever the one ahead goes: one evaluation at a time, none nested in the
    // one before, however long the wait.
    const evaluations$ = evaluate$.pipe(
      expand((standing) =>
        standing.kind === 'placed' && standing.position.predecessor !== null
          ? this.wakeUp$(standing.position, own).pipe(switchMap(() => evaluate$))
          : EMPTY,
      ),
    );
    return new Observable<Standing>((subscriber) => {
      const subscription = new Subscription();
      let watchingOwn = false;
      subscription.add(
        evaluations$.subscribe({
          next: (standing) => {
            subscriber.next(standing);
            if (standing.kind === 'evicted') return subscriber.complete();
            // From the first placement on, our own node going (deleted by someone else) evicts
            // us. One watch for the node's life, kept through the evaluations that follow.
            if (watchingOwn || subscriber.closed) return;
            watchingOwn = true;
            subscription.add(
              this.zk.deleted$(node).subscribe({
                next: () => {
                  subscriber.next(this.evicted(node));
                  subscriber.complete();
                },
                error: (error: unknown) => subscriber.error(error),
              }),
            );
          },
          error: (error: unknown) => subscriber.error(error),
          // A holder's evaluations end there: it stays placed until its node goes.
        }),
      );
      return subscription;
    });
  }

  /**
   * Emits when the node waited on goes: the one ahead, or (when following the head) the first in
   * the queue, whichever goes first. At most two watches, and never on the rest of the queue.
   */
  private wakeUp$(position: QueuePosition, own: string): Observable<void> {
    const ahead$ = this.zk.deleted$(joinPath(this.path, position.predecessor!));
    const head = position.queue[0]?.name;
    if (!this.followHead || head === undefined || head === position.predecessor || head === own) return ahead$;
    return race(ahead$, this.zk.deleted$(joinPath(this.path, head)));
  }

  private evicted(node: string): Standing {
    if (this.node === node) this.node = null;
    return { kind: 'evicted', node };
  }

  private join(session: string): Promise<string> {
    if (this.withdrawn) return Promise.reject(new ClientClosedError(`${this.path}: the participant withdrew`));
    if (this.node !== null && this.nodeSession === session) return Promise.resolve(this.node);
    if (this.joining && this.joiningSession === session) return this.joining;
    if (this.node !== null) {
      // Our node from an earlier session: we stopped acting on it when that session was
      // suspended, so let the queue move on now instead of when the server expires it.
      void this.remove(this.node, this.nodeSession).catch(() => undefined);
      this.node = null;
    }
    const joining = createProtected(this.zk, session, this.path, this.id, this.data, this.naming.mode, this.naming.prefix).then((node) => {
      if (this.joining === joining) this.joining = null;
      this.node = node;
      this.nodeSession = session;
      return node;
    });
    joining.catch(() => {
      if (this.joining === joining) this.joining = null;
    });
    this.joining = joining;
    this.joiningSession = session;
    return joining;
  }

  /**
   * Deletes our node. If the delete cannot be known to have happened (the session was lost with it
   * pending, or no reply came), the node may still be on the server (a session the client presumed
   * lost can still be alive there): it is then deleted from the next live session, if still owned
   * by `owner`. Resolves once deleted or handed over; closing the client ends its session, and the
   * node with it.
   */
  private async remove(node: string, owner: string | null): Promise<void> {
    try {
      await this.zk.delete(node);
    } catch (error) {
      if (isDeletedAnyway(error)) return;
      if (!isInDoubt(error)) throw error;
      deleteLater(this.zk, node, owner);
    }
  }
}
