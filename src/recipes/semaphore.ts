/**
 * A distributed counting semaphore: at most `permits` participants hold a lease at once.
 * Subscribing is asking for a lease; unsubscribing releases it or stops waiting.
 *
 * The ZooKeeper algorithm (Curator's InterProcessSemaphoreV2):
 * 1. Queue for the semaphore's lock at `<path>/locks`: a fair lock (protected ephemeral-sequential
 *    nodes, each waiter watching only the one ahead). Only its holder may take a lease, so
 *    leases are granted one at a time, in arrival order.
 * 2. The lock holder, and nobody else, watches the children of `<path>/leases` until fewer than
 *    `permits` leases exist. When a holder leaves, only that one watcher wakes.
 * 3. It creates its lease: a protected ephemeral-sequential node under `<path>/leases`, so a lease
 *    goes with its holder's session. Its czxid is the fencing token.
 * 4. Once the lease is there, owned by the current session, it leaves the lock (deleting its lock
 *    node), and the next in line counts the leases again.
 * 5. Release: delete the lease.
 *
 * Watching the node `permits` places ahead, as a lock with several holders would, is not enough
 * for a semaphore: when some other holder leaves, that waiter would not notice a permit came free.
 *
 * Caveats:
 * - The permit count is the acquirer's: a lease is granted only while fewer than its own
 *   `permits` leases exist. Participants should agree on it. Lowering it is honoured for every
 *   new lease, but leases already held are not revoked: while more leases than the new count are
 *   held (granted under the old one), nobody gets a lease, until enough holders release theirs.
 * - A holder whose connection is suspended emits `lost` at once (its lease still counts until its
 *   session ends); after `reconnected` it re-checks its lease and may emit `acquired` again; after
 *   `lost` it queues again on the new session. A waiter that is suspended stays `waiting`.
 * - A lease deleted by someone else is `lost`, and the participant queues again.
 * - With `timeoutMs`, a waiter that gets no lease in time removes its nodes and only then errors
 *   with {@link SemaphoreTimeoutError}.
 * - As with every lock, protect the resource with the fencing token: a holder paused longer than
 *   its session timeout cannot know it lost its lease.
 * - Beside Curator: its InterProcessSemaphoreV2 has this layout. Every child of `<path>/leases`
 *   counts as a lease and every sequential child of `<path>/locks` as a contender for the lock,
 *   whoever made it; with `scheme: 'curator'` rxzk names its nodes `_c_<uuid>-lock-` and
 *   `_c_<uuid>-lease-` so that Curator orders them too. (Curator takes its lease before it counts;
 *   rxzk counts first. Only the lock holder does either, so the outcome is the same.)
 * - Beside kazoo, whose Semaphore has a layout of its own, `scheme: 'kazoo'` takes it: the lock
 *   is a kazoo Lock at `<path>-__lock__`, a lease is an ephemeral `<path>/<uuid hex>`, and the
 *   permit count is stored as `<path>`'s data: a participant asking for another count errors with
 *   InvalidArgumentError, as kazoo raises ValueError.
 */
import { concat, defer, filter, from, mergeMap, of, startWith, switchMap, take, takeWhile, tap, type Observable } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { SemaphoreTimeoutError } from '../errors/recipe-errors.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { retryBackoff } from '../operators/retry-backoff.js';
import { joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { holding, type Holding } from './holding.js';
import { leaseStates, type LeaseState, type SemaphoreStep } from './operators/lease-states.js';
import { leasesAvailable } from './operators/leases-available.js';
import { presenceIn } from './operators/queue-position.js';
import { createOrRead } from './node-idioms.js';
import { participate, type Participant } from './participation.js';
import type { NodeScheme } from './protected-names.js';
import type { QueueParticipant } from './queue-participant.js';
import { checkCount, checkTimeout } from './recipe-arguments.js';
import { checkSchemeOptions, schemeParticipant, type SchemeOptions } from './scheme-participant.js';

/** Options of {@link semaphore}. */
export interface SemaphoreOptions extends SchemeOptions {
  /** How many participants may hold a lease at once (an integer >= 1). */
  permits: number;
  /**
   * Give up waiting after this long (ms): the participant's nodes are removed, then the stream
   * errors with {@link SemaphoreTimeoutError}.
   */
  timeoutMs?: number;
}

const QUEUED: SemaphoreStep = Object.freeze({ kind: 'queued' });

/**
 * Asks for a lease of the semaphore at `path` while subscribed. Emits `waiting`, then `acquired`
 * (with a fencing token) once this participant holds one of the `permits` leases; a holder whose
 * connection is suspended or whose session is lost emits `lost`. Leases are granted in arrival
 * order, one waiter watching at a time. Unsubscribing releases the lease or leaves the queue; a
 * crashed holder's lease goes with its session.
 *
 * ## Example
 * ```ts
 * import { connect, semaphore } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const sub = semaphore(zk, '/semaphores/db', { permits: 3 }).subscribe(({ state }) => {
 *   if (state === 'acquired') openConnection();
 *   if (state === 'lost') closeConnection();
 * });
 * // later: sub.unsubscribe() frees the permit
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options (`permits` is
 *   not an integer >= 1, `timeoutMs` is not a number of milliseconds >= 0).
 */
export function semaphore(zk: ZkClient, path: string, options: SemaphoreOptions): Observable<LeaseState> {
  validatePath(path, 'semaphore');
  const permits = checkCount(options?.permits, `semaphore ${path}`, 'permits');
  checkTimeout(options.timeoutMs, `semaphore ${path}`);
  checkSchemeOptions(options, `semaphore ${path}`);
  return participate(() => semaphoreParticipation(zk, path, permits, options));
}

/**
 * One participant's lease states on the participation shell, for {@link semaphore} and
 * `acquireSemaphoreLease`.
 */
export function semaphoreParticipation(
  zk: ZkClient,
  path: string,
  permits: number,
  options: Pick<SemaphoreOptions, 'timeoutMs' | 'scheme' | 'id'>,
): Holding {
  const { timeoutMs } = options;
  const participant = new SemaphoreParticipant(zk, path, permits, options.scheme ?? 'rxzk', options.id ?? null);
  return holding(zk, participant, leaseStates(), timeoutMs, () =>
    new SemaphoreTimeoutError(`semaphore ${path}: no lease within ${timeoutMs} ms; left the queue`, { path }),
  );
}

/**
 * One participant of a semaphore: its place in the lock queue, then its lease. Its reports start
 * over on every live state, and carry on from what the participant already has on that session.
 */
class SemaphoreParticipant implements Participant<SemaphoreStep> {
  private readonly locksPath: string;
  private readonly leasesPath: string;
  /** kazoo's semaphore keeps its permit count as the data of this node; checked once. */
  private permitsChecked = false;
  /** Our place in the lock queue, until we hold a lease. */
  private queue: QueueParticipant | null = null;
  /** Our lease, from the moment we decide to take it (its create may still be under way). */
  private lease: QueueParticipant | null = null;
  private leaseSession: string | null = null;

  constructor(
    private readonly zk: ZkClient,
    private readonly path: string,
    private readonly permits: number,
    private readonly scheme: NodeScheme,
    private readonly id: string | null,
  ) {
    // kazoo: `<path>-__lock__` (a sibling) and leases right under `<path>`; the others: Curator's.
    this.locksPath = scheme === 'kazoo' ? `${path}-__lock__` : joinPath(path, 'locks');
    this.leasesPath = scheme === 'kazoo' ? path : joinPath(path, 'leases');
  }

  report$(session: string): Observable<SemaphoreStep> {
    return defer(() => {
      if (this.lease && this.leaseSession !== session) {
        // A lease of an earlier session: gone with it, or about to be.
        this.dropLease();
      }
      return this.lease ? this.holding$(this.lease, session) : this.queueing$(session);
    });
  }

  /** Deletes our lock node and lease; resolves once both are gone. */
  async withdraw(): Promise<void> {
    const queue = this.queue;
    const lease = this.lease;
    this.queue = null;
    this.lease = null;
    await Promise.all([queue?.withdraw(), lease?.withdraw()]);
  }

  /** Steps 1-3: queue for the lock; as its holder, wait for a free permit, then take a lease. */
  private queueing$(session: string): Observable<SemaphoreStep> {
    if (this.scheme === 'kazoo' && !this.permitsChecked) {
      return from(this.checkPermits()).pipe(
        retryBackoff({ scheduler: this.zk.scheduler }),
        switchMap(() => this.queueing$(session)),
      );
    }
    const queue = (this.queue ??= schemeParticipant(this.zk, this.locksPath, 'semaphore-lock', {
      what: 'semaphore',
      scheme: this.scheme,
      nameId: 'semaphore',
      data: this.id,
    }));
    const permitFree$ = queue.report$(session).pipe(
      switchMap((standing) =>
        standing.kind === 'placed' && standing.position.holds
          ? this.zk.children$(this.leasesPath).pipe(
              leasesAvailable(this.permits),
              filter(Boolean),
              take(1),
              // Queued until then (a holder that lost its lease is waiting again).
              startWith(false),
            )
          : of(false),
      ),
      // Stop following the lock queue once a permit is ours to take: leaving the queue later
      // (step 4) must not read as being evicted from it.
      takeWhile((free) => !free, true),
    );
    return permitFree$.pipe(mergeMap((free) => (free ? this.takeLease$(session) : of(QUEUED))));
  }

  /**
   * kazoo's `Semaphore._ensure_path`: the semaphore node holds the permit count; whoever creates it
   * writes its own, and everyone else must ask for the same (data that is not a number is not a
   * count, and is left alone).
   */
  private async checkPermits(): Promise<void> {
    const there = await createOrRead(this.zk, this.path, String(this.permits), { parents: true });
    const text = there?.data.toString('utf8').trim() ?? '';
    if (/^[+-]?\d+$/.test(text) && Number(text) !== this.permits) {
      throw new InvalidArgumentError(
        `semaphore ${this.path}: the kazoo semaphore there has ${Number(text)} permits, this participant asks for ${this.permits}`,
        { path: this.path },
      );
    }
    this.permitsChecked = true;
  }

  private takeLease$(session: string): Observable<SemaphoreStep> {
    this.lease = schemeParticipant(this.zk, this.leasesPath, 'lease', {
      what: 'semaphore',
      scheme: this.scheme,
      nameId: 'lease',
      data: this.id,
      rule: presenceIn,
      reportStrangers: false,
    });
    this.leaseSession = session;
    return this.holding$(this.lease, session);
  }

  /** Steps 4-5: hold the lease while it is ours; if it is taken from us, queue again. */
  private holding$(lease: QueueParticipant, session: string): Observable<SemaphoreStep> {
    const held$ = lease.report$(session).pipe(
      takeWhile((standing) => standing.kind === 'placed', true),
      tap((standing) => {
        if (standing.kind === 'placed') this.leaveQueue();
        else if (this.lease === lease) this.dropLease();
      }),
      mergeMap((standing): Observable<SemaphoreStep> =>
        standing.kind === 'placed'
          ? of({ kind: 'leased', node: standing.node, stat: standing.stat })
          : of({ kind: 'revoked', node: standing.node }),
      ),
    );
    return concat(held$, defer(() => this.queueing$(session)));
  }

  private leaveQueue(): void {
    const queue = this.queue;
    this.queue = null;
    void queue?.withdraw().catch(() => undefined);
  }

  private dropLease(): void {
    const lease = this.lease;
    this.lease = null;
    this.leaseSession = null;
    void lease?.withdraw().catch(() => undefined);
  }
}
