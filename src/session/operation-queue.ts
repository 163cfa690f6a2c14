import type { SchedulerLike, Subscription } from 'rxjs';
import { errorFromCode } from '../errors/from-code.js';
import {
  AuthFailedError,
  ClientClosedError,
  InvalidArgumentError,
  OperationTimeoutError,
  SessionExpiredError,
  type ZkError,
} from '../errors/zk-error.js';
import type { ConnectionState } from '../model/connection-state.js';
import { ErrorCode } from '../wire/error-codes.js';
import type { WireClient, WireFailure } from '../wire/wire-client.js';

/** One request as the queue sees it. */
export interface OperationSpec<T> {
  /** What the caller asked for (`'get'`, `'create'`...), for messages. */
  readonly name: string;
  /** The path as the caller gave it, for messages and errors. */
  readonly path: string;
  /** May it be sent again after a connection loss? False where a repeat could do harm. */
  readonly resendable: boolean;
  /** Sends the request; `done` is called once with the wire error or the result. */
  send(wire: WireClient, done: (error: WireFailure | null, result?: T) => void): void;
  /** Names the failure more precisely than the default (e.g. which step of a transaction). */
  describeError?(error: WireFailure): ZkError;
}

interface Pending {
  readonly spec: OperationSpec<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: ZkError) => void;
  readonly deadline: number;
  readonly timeoutMs: number;
  resendsLeft: number;
  /** Sent at least once, so it may have taken effect even if it waits to be re-sent now. */
  sent: boolean;
  done: boolean;
  /** Its index in `inFlight` while it is there, -1 otherwise. */
  slot: number;
  /** When it was last sent, counted in sends: `inFlight` itself is in no particular order. */
  sentAs: number;
}

/**
 * Runs one-shot operations on whatever session is live.
 *
 * An operation waits while there is no live session and is sent once there is one, in the order
 * the operations were made. A connection loss sends it again on the same session (if it may be
 * repeated and has resends left). It fails with {@link OperationTimeoutError} at its deadline,
 * with {@link SessionExpiredError} if the session is lost while it is pending, and with
 * {@link ClientClosedError} on close. Replies that come after an operation failed are ignored.
 */
export class OperationQueue {
  private readonly waiting: Pending[] = [];
  /**
   * Sent and not yet answered. An array in which each operation knows its index, not a Set: with
   * V8, operations passing through a long-lived Set kept a quarter of everything allocated for
   * them alive through young-generation collections, to be promoted and collected by full ones
   * (a mark-compact every ~45,000 operations), which cost more than the rest of the queue.
   */
  private readonly inFlight: Pending[] = [];
  private sends = 0;
  private sweeper: Subscription | null = null;
  private sweepAt = Number.POSITIVE_INFINITY;
  /** Set once the client can never send again: the error each later operation gets. */
  private terminal: ((spec: OperationSpec<unknown>) => ZkError) | null = null;

  constructor(
    private readonly scheduler: SchedulerLike,
    /** The wire client to send on, or `null` while no session is live. */
    private readonly liveClient: () => WireClient | null,
  ) {}

  /** How many operations are waiting or in flight. */
  get size(): number {
    return this.waiting.length + this.inFlight.length;
  }

  run<T>(spec: OperationSpec<T>, timeoutMs: number, maxResends: number): Promise<T> {
    if (this.terminal) return Promise.reject(this.terminal(spec as OperationSpec<unknown>));
    return new Promise<T>((resolve, reject) => {
      const op: Pending = {
        spec: spec as OperationSpec<unknown>,
        resolve: resolve as (value: unknown) => void,
        reject,
        deadline: this.scheduler.now() + timeoutMs,
        timeoutMs,
        resendsLeft: spec.resendable ? maxResends : 0,
        sent: false,
        done: false,
        slot: -1,
        sentAs: -1,
      };
      const wire = this.waiting.length === 0 ? this.liveClient() : null;
      if (wire) this.send(op, wire);
      else this.waiting.push(op);
      this.sweepBy(op.deadline);
    });
  }

  /** Reacts to the connection: flush on a live session, fail everything pending on loss. */
  onState(state: ConnectionState): void {
    switch (state) {
      case 'connected':
      case 'reconnected':
        this.flush();
        break;
      case 'lost':
        this.failAll((op) => new SessionExpiredError(`${describe(op)}: the session was lost before it completed`, { path: op.spec.path, code: -112 }));
        break;
      case 'auth-failed':
        this.terminal = (spec) =>
          new AuthFailedError(`${spec.name} ${spec.path}: the server rejected the client's credentials`, { path: spec.path, code: -115 });
        this.failAll((op) => this.terminal!(op.spec));
        this.stopSweeper();
        break;
      case 'closed':
        this.terminal = (spec) => new ClientClosedError(`${spec.name} ${spec.path}: the client is closed`, { path: spec.path });
        this.failAll((op) => new ClientClosedError(`${describe(op)}: the client was closed before it completed`, { path: op.spec.path }));
        this.stopSweeper();
        break;
      default:
        break;
    }
  }

  /** Sends what waits, in order, while a session is live. */
  flush(): void {
    while (this.waiting.length > 0) {
      const wire = this.liveClient();
      if (!wire) return;
      const op = this.waiting.shift()!;
      if (!op.done) this.send(op, wire);
    }
  }

  private send(op: Pending, wire: WireClient): void {
    op.sent = true;
    this.addInFlight(op);
    try {
      this.sendOn(op, wire);
    } catch (thrown) {
      // The wire client refused to encode it (arguments are checked at the call, so this is a
      // gap in those checks): fail this operation only; a throw here would reach whoever flushed
      // the queue (a state change) and take the process down.
      this.removeInFlight(op);
      if (!op.done) {
        this.settle(
          op,
          new InvalidArgumentError(`${describe(op)}: the request could not be encoded: ${(thrown as Error)?.message ?? String(thrown)}`, {
            path: op.spec.path,
            cause: thrown,
          }),
        );
      }
    }
  }

  private sendOn(op: Pending, wire: WireClient): void {
    op.spec.send(wire, (error, result) => {
      if (op.done) return;
      this.removeInFlight(op);
      if (!error) return this.settle(op, null, result);
      if (error.code === ErrorCode.connectionLoss && op.resendsLeft > 0) {
        // Never re-send from inside this callback: the wire client is still failing its queue.
        // The next live state flushes it.
        op.resendsLeft--;
        this.waiting.push(op);
        return;
      }
      this.settle(op, op.spec.describeError?.(error) ?? errorFromCode(error.code, op.spec.path, op.spec.name, error));
    });
  }

  private settle(op: Pending, error: ZkError | null, result?: unknown): void {
    op.done = true;
    if (error) op.reject(error);
    else op.resolve(result);
  }

  private addInFlight(op: Pending): void {
    op.slot = this.inFlight.length;
    op.sentAs = this.sends++;
    this.inFlight.push(op);
  }

  private removeInFlight(op: Pending): void {
    const at = op.slot;
    if (this.inFlight[at] !== op) return;
    const last = this.inFlight.pop()!;
    if (last !== op) {
      this.inFlight[at] = last;
      last.slot = at;
    }
    op.slot = -1;
  }

  /** The operations in flight, in the order they were sent. */
  private inFlightInOrder(): Pending[] {
    return [...this.inFlight].sort((a, b) => a.sentAs - b.sentAs);
  }

  private failAll(errorFor: (op: Pending) => ZkError): void {
    const pending = [...this.waiting, ...this.inFlightInOrder()];
    this.waiting.length = 0;
    for (const op of this.inFlight) op.slot = -1;
    this.inFlight.length = 0;
    for (const op of pending) if (!op.done) this.settle(op, errorFor(op));
  }

  private stopSweeper(): void {
    this.sweeper?.unsubscribe();
    this.sweeper = null;
    this.sweepAt = Number.POSITIVE_INFINITY;
  }

  private sweepBy(deadline: number): void {
    if (deadline >= this.sweepAt) return;
    this.sweeper?.unsubscribe();
    this.sweepAt = deadline;
    this.sweeper = this.scheduler.schedule(() => this.sweep(), Math.max(0, deadline - this.scheduler.now()));
  }

  /** Fails what is past its deadline; one timer serves every pending operation. */
  private sweep(): void {
    this.sweeper = null;
    this.sweepAt = Number.POSITIVE_INFINITY;
    const now = this.scheduler.now();
    let next = Number.POSITIVE_INFINITY;
    const expire = (op: Pending): boolean => {
      if (op.done) return true;
      if (op.deadline > now) {
        next = Math.min(next, op.deadline);
        return false;
      }
      const outcome = op.sent ? 'it may still take effect' : 'it was never sent (no live session)';
      this.settle(
        op,
        new OperationTimeoutError(`${describe(op)}: no reply within ${op.timeoutMs} ms; ${outcome}`, {
          path: op.spec.path,
          code: -7,
        }),
      );
      return true;
    };
    for (const op of this.inFlightInOrder()) if (expire(op)) this.removeInFlight(op);
    for (let i = this.waiting.length - 1; i >= 0; i--) if (expire(this.waiting[i]!)) this.waiting.splice(i, 1);
    if (next !== Number.POSITIVE_INFINITY) this.sweepBy(next);
  }
}

function describe(op: Pending): string {
  return `${op.spec.name} ${op.spec.path}`;
}
