/**
 * A double barrier: members enter together once `count` of them have arrived, and leave together
 * once all of them are done.
 *
 * The ZooKeeper algorithm (ZooKeeper's double-barrier recipe; Curator's DistributedDoubleBarrier):
 * Entering:
 * 1. Create an ephemeral-sequential member node with a protected name under the barrier path.
 * 2. Watch `<path>/ready` (an exists watch); list the members once.
 * 3. If `ready` exists, enter. If `count` members are there, create `ready` (the others' watches
 *    fire) and enter. Otherwise wait for `ready`; only it wakes the waiters.
 * Leaving:
 * 4. List the members. None left: done. Only ours: delete it, done.
 * 5. Ours is the lowest: wait for the highest to go. Otherwise delete ours (if still there) and
 *    wait for the lowest to go. Each member waits on one node, with getData. Back to 4.
 * 6. Once out, delete `ready`, so the path can hold the next round.
 *
 * Caveats:
 * - A member that crashes while entering takes its node with its session: until someone takes its
 *   place, the others wait (fewer than `count` are there). A member that crashes while in, or
 *   while leaving, counts as gone once its session is, so it does not hold the others back for
 *   longer than its session timeout. A member that hangs without crashing does hold them back:
 *   `timeoutMs` bounds each of `enter$()` and `leave$()`; a member that gives up removes its node
 *   and errors with {@link BarrierTimeoutError}.
 * - After `lost` while entering, the member joins again with a new node on the new session. A
 *   member whose session is lost while it is in has left, as far as the others can tell.
 * - One round at a time per path: start the next round once every member's `leave$()` completed.
 */
import { concat, defer, EMPTY, filter, from, ignoreElements, map, of, switchMap, type Observable } from 'rxjs';
import type { ZkClient } from '../client/zk-client.js';
import { BarrierTimeoutError } from '../errors/recipe-errors.js';
import { baseName, joinPath } from '../paths/paths.js';
import { validatePath } from '../paths/validate-path.js';
import { childrenOrEmpty, createIfAbsent, deleteIfPresent } from './node-idioms.js';
import { barrierEntryOf } from './operators/barrier-entry.js';
import { barrierExitStepOf } from './operators/barrier-exit.js';
import { participate, participation, type Participant } from './participation.js';
import { QueueParticipant } from './queue-participant.js';
import { checkCount, checkNonEmptyString, checkTimeout } from './recipe-arguments.js';

/** Options of {@link doubleBarrier}. */
export interface DoubleBarrierOptions {
  /** How many members must arrive before any enters (an integer >= 1). */
  count: number;
  /** This member's id, shown to the others in `members`. */
  id: string;
  /**
   * Give up entering, or leaving, after this long (ms): the member's node is removed, then the
   * stream errors with {@link BarrierTimeoutError}.
   */
  timeoutMs?: number;
}

/** Where a member stands. `members` are the ids under the barrier as of its last look. */
export interface DoubleBarrierState {
  readonly phase: 'entering' | 'entered' | 'leaving' | 'left';
  readonly members: readonly string[];
}

/** One member of a double barrier. */
export interface DoubleBarrier {
  /** The barrier node. */
  readonly path: string;
  /**
   * Arrives at the barrier: emits `entering` (with the members seen so far), then `entered` once
   * `count` members have arrived, and completes. Unsubscribing before that leaves the barrier
   * (the member's node is deleted); after it, the node stays until {@link leave$}.
   */
  enter$(): Observable<DoubleBarrierState>;
  /**
   * Leaves the barrier: emits `leaving` (with the members still in), then `left` once every
   * member has left, and completes. Unsubscribing early deletes the member's node.
   */
  leave$(): Observable<DoubleBarrierState>;
}

const READY = 'ready';

/**
 * A member of the double barrier at `path`, for `count` members: `enter$()` completes once all
 * have arrived, `leave$()` once all have left.
 *
 * ## Example
 * ```ts
 * import { concat } from 'rxjs';
 * import { connect, doubleBarrier } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const round = doubleBarrier(zk, '/barriers/epoch-7', { count: 3, id: 'worker-1', timeoutMs: 60_000 });
 * concat(round.enter$(), compute$, round.leave$()).subscribe((s) => console.log(s));
 * // Logs: { phase: 'entering', members: ['worker-1'] }, ..., { phase: 'entered', ... },
 * //       (compute's values), { phase: 'leaving', ... }, { phase: 'left', members: [] }
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path or options.
 */
export function doubleBarrier(zk: ZkClient, path: string, options: DoubleBarrierOptions): DoubleBarrier {
  validatePath(path, 'doubleBarrier');
  const count = checkCount(options?.count, `doubleBarrier ${path}`, 'count');
  const id = checkNonEmptyString(options.id, `doubleBarrier ${path}`, 'id');
  const timeoutMs = checkTimeout(options.timeoutMs, `doubleBarrier ${path}`);
  const member = new BarrierMember(zk, path, count, id);
  /** One phase on the participation shell: it ends at `goal`, keeping the member's node. */
  const phase$ = (goal: 'entered' | 'left', way: () => Participant<DoubleBarrierState | null>) =>
    participate(
      () =>
        participation<DoubleBarrierState | null, DoubleBarrierState>(zk, way(), {
          notLive: () => null,
          states: filter((s): s is DoubleBarrierState => s !== null),
          giveUp: {
            timeoutMs,
            reached: (s) => s.phase === goal,
            error: () => new BarrierTimeoutError(`doubleBarrier ${path}: not ${goal} within ${timeoutMs} ms; removed this member`, { path }),
          },
        }),
      (s) => s.phase === goal,
    );
  return {
    path,
    enter$: () => phase$('entered', () => member.wayIn()),
    leave$: () => phase$('left', () => member.wayOut()),
  };
}

/** One member of a double barrier: its node, and its ways in and out. */
class BarrierMember {
  private readonly readyPath: string;
  private node: QueueParticipant | null = null;

  constructor(
    private readonly zk: ZkClient,
    private readonly path: string,
    private readonly count: number,
    private readonly id: string,
  ) {
    this.readyPath = joinPath(path, READY);
  }

  /** Steps 1-3: arrive (one node for the way in and out), then watch for the others. */
  wayIn(): Participant<DoubleBarrierState | null> {
    // Every member is always in: only its own node is watched, besides `ready`.
    const node = (this.node ??= new QueueParticipant(this.zk, this.path, this.id, Number.POSITIVE_INFINITY));
    return {
      report$: (session) => node.report$(session).pipe(switchMap((standing) => (standing.kind === 'placed' ? this.entry$() : EMPTY))),
      withdraw: () => this.withdraw(),
    };
  }

  /** Steps 4-6: leave, each member waiting on one other, until all are out. */
  wayOut(): Participant<DoubleBarrierState | null> {
    return {
      report$: (session) => {
        const own = this.node?.nodeOn(session) ?? null;
        return this.exit$(own === null ? null : baseName(own));
      },
      withdraw: () => this.withdraw(),
    };
  }

  /** Deletes this member's node (if any); resolves once it is gone. */
  async withdraw(): Promise<void> {
    const node = this.node;
    this.node = null;
    await node?.withdraw();
  }

  /** Steps 2-3, once our node is in place. */
  private entry$(): Observable<DoubleBarrierState> {
    const ready$ = this.zk.exists$(this.readyPath).pipe(map((stat) => stat !== null));
    const children = () => this.zk.getChildren(this.path);
    return defer(children).pipe(
      switchMap((before) =>
        ready$.pipe(
          // Once ready, list the members again, so that `entered` names everyone who came.
          switchMap((ready) => (ready ? from(children()) : of(before)).pipe(map((now) => barrierEntryOf(now, ready, this.count)))),
        ),
      ),
      switchMap((entry): Observable<DoubleBarrierState> => {
        if (!entry.open) return of({ phase: 'entering', members: entry.members });
        const mark$ = entry.markReady ? from(createIfAbsent(this.zk, this.readyPath)).pipe(ignoreElements()) : EMPTY;
        return concat(mark$, of<DoubleBarrierState>({ phase: 'entered', members: entry.members }));
      }),
    );
  }

  /** Steps 4-6, as `ownName` (`null`: gone already). */
  private exit$(ownName: string | null): Observable<DoubleBarrierState> {
    return defer(() => childrenOrEmpty(this.zk, this.path)).pipe(
      map((children) => barrierExitStepOf(children, ownName)),
      switchMap((step): Observable<DoubleBarrierState> => {
        if (step.kind === 'left') return from(this.finish()).pipe(map(() => LEFT));
        if (step.kind === 'last') return from(this.withdraw().then(() => this.finish())).pipe(map(() => LEFT));
        const removeOwn$ = step.deleteOwn ? from(this.withdraw()).pipe(ignoreElements()) : EMPTY;
        return concat(
          removeOwn$,
          of<DoubleBarrierState>({ phase: 'leaving', members: step.members }),
          this.zk.deleted$(joinPath(this.path, step.on)).pipe(switchMap(() => this.exit$(ownName))),
        );
      }),
    );
  }

  /** Step 6: everyone is out; the ready node goes so that the path can hold another round. */
  private finish(): Promise<void> {
    return deleteIfPresent(this.zk, this.readyPath);
  }
}

const LEFT: DoubleBarrierState = Object.freeze({ phase: 'left', members: Object.freeze([]) });
