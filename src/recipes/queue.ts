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
  combineLatest,
  concat,
  defer,
  EMPTY,
  filter,
  from,
  ignoreElements,
  map,
  merge,
  Observable,
  of,
  repeat,
  switchMap,
  take,
  throwError,
  catchError,
  tap,
  type ObservableInput,
} from 'rxjs';
import { toBuffer, type Data } from '../model/data.js';
import type { ZkClient } from '../client/zk-client.js';
import { QueueClaimLostError } from '../errors/recipe-errors.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { isTransient, retryBackoff } from '../operators/retry-backoff.js';
import { joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { queueItems, type QueueEntry } from './operators/queue-items.js';
import { whileLive } from './operators/while-live.js';
import { createProtected } from './protected-create.js';
import { ClaimedItem, QueueClaimer, type QueueItem, type QueuePaths } from './queue-claims.js';

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
      const priority = options.priority ?? 0;
      if (!Number.isSafeInteger(priority)) {
        throw new InvalidArgumentError(`queue ${path}: offer: priority must be a safe integer, got ${String(priority)}`);
      }
      return (async () => {
        // The protected name carries the session that made it: wait for one rather than fail.
        if (zk.sessionId === null) await zk.ready({ timeoutMs: zk.sessionTimeoutMs });
        return createProtected(zk, paths.items, String(priority), data, 'persistent-sequential');
      })();
    },

    take$() {
      return new Observable<QueueItem>((subscriber) => {
        const claimer = new QueueClaimer(zk, paths);
        const subscription = zk.state$
          .pipe(
            whileLive<ClaimedItem | typeof IDLE>(() => claimer.next$().pipe(retry()), () => IDLE),
            filter((v): v is ClaimedItem => v !== IDLE),
            take(1),
          )
          .subscribe(subscriber);
        return () => {
          subscription.unsubscribe();
          claimer.dispose();
        };
      });
    },

    process$<R>(work: (item: QueueItem) => ObservableInput<R>, options: ProcessOptions = {}) {
      if (typeof work !== 'function') throw new InvalidArgumentError(`queue ${path}: process$: work must be a function`);
      const concurrency = options.concurrency ?? 1;
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new InvalidArgumentError(`queue ${path}: process$: concurrency must be an integer >= 1, got ${String(concurrency)}`);
      }
      return merge(...Array.from({ length: concurrency }, () => consumer$(zk, paths, work, retry)));
    },

    items$() {
      return defer(() => combineLatest([zk.children$(paths.items), zk.children$(paths.claims)])).pipe(queueItems());
    },
  };
}

/** One consumer slot of `process$`: claim, work, acknowledge, again. */
function consumer$<R>(
  zk: ZkClient,
  paths: QueuePaths,
  work: (item: QueueItem) => ObservableInput<R>,
  retry: <T>() => (source: Observable<T>) => Observable<T>,
): Observable<R> {
  return new Observable<R>((subscriber) => {
    const claimer = new QueueClaimer(zk, paths);
    /** The item this slot holds, and whether its work completed (only the ack is left). */
    let held: { item: ClaimedItem; worked: boolean } | null = null;

    const work$ = (h: { item: ClaimedItem; worked: boolean }): Observable<R> =>
      defer(() => work(h.item)).pipe(
        tap({ complete: () => (h.worked = true) }),
        catchError((error: unknown) => {
          held = null;
          return from(h.item.release().catch(() => undefined)).pipe(switchMap(() => throwError(() => new WorkFailure(error))));
        }),
      );

    const acknowledge$ = (h: { item: ClaimedItem }): Observable<never> =>
      defer(() => h.item.ack()).pipe(
        tap(() => (held = null)),
        catchError((error: unknown) => {
          // At least once: the item comes again (to someone) if its claim was lost before the ack.
          if (!(error instanceof QueueClaimLostError)) return throwError(() => error);
          held = null;
          return EMPTY;
        }),
        ignoreElements(),
      );

    const cycle$ = defer(() => {
      // A claim lives as long as the session that made it.
      if (held && held.item.session !== zk.sessionId) held = null;
      const item$ = held ? of(held) : claimer.next$().pipe(map((item) => (held = { item, worked: false })));
      return item$.pipe(switchMap((h) => concat(h.worked ? EMPTY : work$(h), acknowledge$(h))));
    }).pipe(repeat());

    const subscription = zk.state$
      .pipe(
        // A suspension stops the work (the claim may be about to go); the next live state goes on.
        whileLive<R | typeof IDLE>(() => cycle$.pipe(retry()), () => IDLE),
        filter((v): v is R => v !== IDLE),
        catchError((error: unknown) => throwError(() => (error instanceof WorkFailure ? error.error : error))),
      )
      .subscribe(subscriber);

    return () => {
      subscription.unsubscribe();
      claimer.dispose();
      if (held) void held.item.release().catch(() => undefined);
    };
  });
}

