/**
 * A distributed queue with locking-queue semantics (kazoo's LockingQueue, Curator's
 * DistributedQueue with lock safety): an item is removed only once a consumer has processed it.
 *
 * The ZooKeeper algorithm:
 * 1. Offer: create a persistent-sequential item `<path>/items/_c_<uuid>-<session>-<priority>-<seq>`
 *    with a protected name: a create whose reply is lost is found again by its uuid, never made
 *    twice.
 * 2. Order: by priority (lower first), then by sequence number (the order of offers).
 * 3. Take: list the items and the claims; for the first unclaimed item, create the ephemeral claim
 *    `<path>/claims/<item name>`. If it exists, another consumer has the item: try the next one.
 *    Then read the item; if it is gone (acknowledged meanwhile) drop the claim and go on. If no
 *    item is free, wait until the items or the claims change.
 * 4. Acknowledge: one transaction deletes the claim and the item. Release: delete the claim.
 * 5. A claim is ephemeral: when its consumer's session ends (a crash, a partition), it goes, and
 *    the item is free for the next consumer.
 *
 * Guarantee: every item is delivered at least once, even across consumer crashes, and is never
 * claimed by two consumers at the same time. `process$` stops the work on an item as soon as the
 * connection is suspended: the server cannot expire the session (and free the item for another
 * consumer) before the client's own clock says `lost`, so a consumer that honours cancellation
 * never works on an item at the same time as another.
 *
 * Caveats:
 * - At least once, not exactly once: an item whose consumer dies (or whose session is lost, or
 *   whose work is interrupted by a suspension) after doing part or all of the work but before the
 *   acknowledgement is delivered again. Make the work idempotent.
 * - Items are claimed in queue order, but with several consumers they may finish out of order.
 * - Every waiting consumer is woken by each new item and each freed claim (ZooKeeper cannot
 *   wake only one watcher for "any new child"); the claims decide who gets the item.
 * - Claims are for consumers only: deleting one by hand lets a second consumer take an item the
 *   first is still working on.
 * - Items are persistent: a queue nobody consumes grows. ZooKeeper is not built for large data
 *   (keep items small; 1 MB at most by default) or for millions of children under one node.
 */
import {
  catchError,
  combineLatest,
  concat,
  defer,
  EMPTY,
  filter,
  from,
  ignoreElements,
  map,
  merge,
  of,
  pipe,
  repeat,
  switchMap,
  take,
  tap,
  throwError,
  type Observable,
  type ObservableInput,
} from 'rxjs';
import { toBuffer, type Data } from '../model/data.js';
import type { ZkClient } from '../client/zk-client.js';
import { QueueClaimLostError } from '../errors/recipe-errors.js';
import { isTransient, retryBackoff } from '../operators/retry-backoff.js';
import { joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { liveSession } from './client-session.js';
import { queueItems, type QueueEntry } from './operators/queue-items.js';
import { participate, participation, type Participant } from './participation.js';
import { createProtected } from './protected-create.js';
import { ClaimedItem, QueueClaimer, type QueueItem, type QueuePaths } from './queue-claims.js';
import { checkCount, checkFunction, checkSafeInteger } from './recipe-arguments.js';

/** Options of {@link DistributedQueue.offer}. */
export interface OfferOptions {
  /** Lower comes first; items of the same priority come in the order they were offered. Default 0. */
  priority?: number;
}

/** Options of {@link DistributedQueue.process$}. */
export interface ProcessOptions {
  /** How many items this consumer works on at once (each with its own claim). Default 1. */
  concurrency?: number;
}

/** A distributed queue at one path. Get one with {@link queue}. */
export interface DistributedQueue {
  /** The queue node. */
  readonly path: string;
  /**
   * Adds an item and resolves with its node's path. A create whose reply is lost is found again
   * by its unique id, never made twice; it rejects only if it could not find out.
   *
   * @throws InvalidArgumentError at once for bad data or a priority that is not a safe integer.
   */
  offer(data: Data, options?: OfferOptions): Promise<string>;
  /**
   * Claims the next item (waiting until there is one), emits it, and completes. The item stays
   * claimed until you call `ack()` (done: it leaves the queue) or `release()` (give it back), or
   * until this client's session ends (it is given back). Unsubscribing before an item came leaves
   * nothing claimed. Stop working on the item when the connection is suspended: its claim may go.
   */
  take$(): Observable<QueueItem>;
  /**
   * Consumes the queue while subscribed: claims an item, runs `work` on it, acknowledges it when
   * the work completes, and goes on with the next; emits the work's values. With `concurrency`,
   * that many items at once.
   *
   * When the connection is suspended the work is stopped; when the same session is back it runs
   * again on the same item (its claim survived), and after a new session the item is someone
   * else's to take. If the work errors, the item is released and the stream errors. Unsubscribing
   * stops the work and releases the item.
   */
  process$<R>(work: (item: QueueItem) => ObservableInput<R>, options?: ProcessOptions): Observable<R>;
  /** Every item in queue order, with whether it is claimed; updates on every change. */
  items$(): Observable<QueueEntry[]>;
}

/** What a consumer emits while its session is not live (filtered out). */
const IDLE: unique symbol = Symbol('idle');

/** Marks an error of the user's work, so that it is not retried as a ZooKeeper hiccup. */
class WorkFailure {
  constructor(readonly error: unknown) {}
}

/**
 * A distributed queue at `path`: FIFO within a priority, each item delivered to one consumer at a
 * time and removed only when acknowledged (at least once, across consumer crashes).
 *
 * ## Example
 * ```ts
 * import { connect, queue } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const jobs = queue(zk, '/jobs');
 * await jobs.offer(JSON.stringify({ resize: 'cat.png' }));
 * jobs.process$((item) => resize(JSON.parse(item.data.toString()))).subscribe((result) => console.log(result));
 * // Logs: the result of each job, once it is done and acknowledged
 * ```
 *
 * @throws InvalidPathError at once for a bad path.
 */
export function queue(zk: ZkClient, path: string): DistributedQueue {
  validatePath(path, 'queue');
  const paths: QueuePaths = { items: joinPath(path, 'items'), claims: joinPath(path, 'claims') };
  const retry = <T>() =>
    retryBackoff<T>({ scheduler: zk.scheduler, isTransient: (e) => !(e instanceof WorkFailure) && isTransient(e) });

  return {
    path,

    offer(data, options = {}) {
      toBuffer(data, `queue ${path}: offer`);
      const priority = checkSafeInteger(options.priority ?? 0, `queue ${path}: offer`, 'priority');
      return (async () => {
        // The protected name carries the session that made it: wait for one rather than fail.
        const session = await liveSession(zk, `create under ${paths.items}`, paths.items);
        return createProtected(zk, session, paths.items, String(priority), data, 'persistent-sequential');
      })();
    },

    take$() {
      return participate(() => {
        const claimer = new QueueClaimer(zk, paths);
        const taker: Participant<QueueItem> = {
          report$: (session) => claimer.next$(session).pipe(retry()),
          withdraw: async () => claimer.dispose(),
        };
        return participation<QueueItem | typeof IDLE, QueueItem>(zk, taker, { notLive: () => IDLE, states: pipe(busy(), take(1)) });
      });
    },

    process$<R>(work: (item: QueueItem) => ObservableInput<R>, options: ProcessOptions = {}) {
      checkFunction(work, `queue ${path}: process$`, 'work');
      const concurrency = checkCount(options.concurrency ?? 1, `queue ${path}: process$`, 'concurrency');
      const slot$ = () =>
        participate(() =>
          participation<R | typeof IDLE, R>(zk, new ConsumerSlot(zk, paths, work, retry), {
            notLive: () => IDLE,
            states: pipe(
              busy(),
              catchError((error: unknown) => throwError(() => (error instanceof WorkFailure ? error.error : error))),
            ),
          }),
        );
      return merge(...Array.from({ length: concurrency }, slot$));
    },

    items$() {
      return defer(() => combineLatest([zk.children$(paths.items), zk.children$(paths.claims)])).pipe(queueItems());
    },
  };
}

/** Leaves out what a consumer emits while its session is not live. */
function busy<T>(): (source: Observable<T | typeof IDLE>) => Observable<T> {
  return filter((v): v is T => v !== IDLE);
}

/**
 * One consumer slot of `process$`: claim, work, acknowledge, again. A suspension stops the work
 * (the claim may be about to go); the next live state goes on, with the same item on the same
 * session.
 */
class ConsumerSlot<R> implements Participant<R> {
  private readonly claimer: QueueClaimer;
  /** The item this slot holds, and whether its work completed (only the ack is left). */
  private held: { item: ClaimedItem; worked: boolean } | null = null;

  constructor(
    zk: ZkClient,
    paths: QueuePaths,
    private readonly work: (item: QueueItem) => ObservableInput<R>,
    private readonly retry: <T>() => (source: Observable<T>) => Observable<T>,
  ) {
    this.claimer = new QueueClaimer(zk, paths);
  }

  report$(session: string): Observable<R> {
    const cycle$ = defer(() => {
      // A claim lives as long as the session that made it.
      if (this.held && this.held.item.session !== session) this.held = null;
      const item$ = this.held ? of(this.held) : this.claimer.next$(session).pipe(map((item) => (this.held = { item, worked: false })));
      return item$.pipe(switchMap((h) => concat(h.worked ? EMPTY : this.work$(h), this.acknowledge$(h))));
    }).pipe(repeat());
    return cycle$.pipe(this.retry());
  }

  /** Gives back claims in doubt and the item held. */
  async withdraw(): Promise<void> {
    this.claimer.dispose();
    if (this.held) void this.held.item.release().catch(() => undefined);
  }

  private work$(h: { item: ClaimedItem; worked: boolean }): Observable<R> {
    return defer(() => this.work(h.item)).pipe(
      tap({ complete: () => (h.worked = true) }),
      catchError((error: unknown) => {
        this.held = null;
        return from(h.item.release().catch(() => undefined)).pipe(switchMap(() => throwError(() => new WorkFailure(error))));
      }),
    );
  }

  private acknowledge$(h: { item: ClaimedItem }): Observable<never> {
    return defer(() => h.item.ack()).pipe(
      tap(() => (this.held = null)),
      catchError((error: unknown) => {
        // At least once: the item comes again (to someone) if its claim was lost before the ack.
        if (!(error instanceof QueueClaimLostError)) return throwError(() => error);
        this.held = null;
        return EMPTY;
      }),
      ignoreElements(),
    );
  }
}
