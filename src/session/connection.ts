import { BehaviorSubject, defer, of, Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { isLive, type ConnectionState } from '../model/connection-state.js';
import { WatcherType } from '../wire/event-types.js';
import type { Watcher, WireClient, WireSessionOptions } from '../wire/wire-client.js';
import { connectionStates, type SessionEvent } from './connection-states.js';
import type { SessionCredentials } from './session-credentials.js';

/** Makes the wire client of one session (not yet started). */
export type WireFactory = (options: WireSessionOptions) => WireClient;

/** What a {@link Connection} is given. */
export interface ConnectionOptions {
  /** `host:port,...`, for {@link SessionCredentials}. */
  readonly connectString: string;
  /** The session timeout to ask for. */
  readonly sessionTimeoutMs: number;
  /** Per connection attempt; the wire's default if undefined. */
  readonly connectTimeoutMs: number | undefined;
  readonly reconnectDelayMs: number;
  /** Credentials for every session. */
  readonly auth: readonly { readonly scheme: string; readonly credentials: string | Buffer }[];
  /** Times the session clock. */
  readonly scheduler: SchedulerLike;
}

/**
 * Owns the session: it runs one wire client at a time, each holding one ZooKeeper session, and
 * turns what the wire reports into the client's {@link ConnectionState}.
 *
 * - The session clock (in {@link connectionStates}): a whole session timeout without the ensemble
 *   means `lost`.
 * - After `lost` the wire client is retired for good (it would keep offering the dead session)
 *   and a new one is started, with the credentials added so far, and with the last zxid seen, so
 *   that the new session never reads older state than the old one did.
 * - Why connection attempts fail, counted since the last session was made.
 *
 * Liveness (a silent connection is cut), the connect deadline and announcing a session only once
 * its credentials are in force are the wire client's.
 */
export class Connection {
  private readonly events = new Subject<SessionEvent>();
  private readonly states = new BehaviorSubject<ConnectionState>('connecting');
  private readonly stateSubscription: Subscription;
  private readonly auth: { scheme: string; auth: Buffer }[];
  private wire: WireClient | null = null;
  private closing = false;
  private currentSessionId: string | null = null;
  /** Last zxid of a retired wire client; given to the next one, unless it cannot get a session with it. */
  private carriedZxid: bigint | null = null;
  private lostAt = 0;
  private lastAttemptError: Error | null = null;
  private failedAttempts = 0;
  /** The wire's current connection carries the session: its failure is no failed attempt. */
  private onSessionConnection = false;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly createWire: WireFactory,
  ) {
    this.auth = options.auth.map((a) => ({
      scheme: a.scheme,
      auth: Buffer.isBuffer(a.credentials) ? a.credentials : Buffer.from(a.credentials),
    }));
    this.stateSubscription = this.events.pipe(connectionStates(options.scheduler)).subscribe({
      next: (state) => this.onState(state),
    });
    this.wire = this.startWire();
  }

  /**
   * Hot; replays the current state. A completed BehaviorSubject replays nothing, so once closed,
   * every new subscriber is given `closed` explicitly (and with it, every stream completes and
   * `ready()` rejects, rather than waiting for a state that never comes).
   */
  readonly state$: Observable<ConnectionState> = defer(() =>
    this.states.value === 'closed' ? of<ConnectionState>('closed') : this.states,
  );

  get state(): ConnectionState {
    return this.states.value;
  }

  /** The wire client of the current session, while the session is live; `null` otherwise. */
  get live(): WireClient | null {
    return isLive(this.states.value) ? this.wire : null;
  }

  get sessionId(): string | null {
    return this.currentSessionId;
  }

  /** The timeout the server granted (or the one asked for, before the first session). */
  get sessionTimeoutMs(): number {
    return this.wire?.sessionTimeoutMs ?? this.options.sessionTimeoutMs;
  }

  /**
   * Why the latest connection attempt failed: the socket's error (`connect ECONNREFUSED ...`,
   * `getaddrinfo ENOTFOUND ...`), or no session reply before the connect deadline. `null` until
   * an attempt fails; kept after a session is made.
   */
  get lastConnectError(): Error | null {
    return this.lastAttemptError;
  }

  /** Connection attempts that failed in a row: since the start, or since the last session was made. */
  get failedConnectAttempts(): number {
    return this.failedAttempts;
  }

  credentials(): SessionCredentials | null {
    const wire = this.wire;
    const sessionId = wire?.sessionId;
    const sessionPassword = wire?.sessionPassword;
    if (!wire || !sessionId || !sessionPassword || this.currentSessionId === null) return null;
    const session = this.currentSessionId;
    return {
      sessionId,
      sessionPassword,
      connectString: this.options.connectString,
      dropConnection: () => {
        // Only a connection that is up on this session: one already reconnecting will hear the
        // session's fate anyway, and cutting it would only delay that.
        if (this.wire === wire && this.currentSessionId === session && wire.state === 'connected') wire.dropConnection();
      },
    };
  }

  /**
   * Takes a stream's watcher function off the wire client once the stream has ended (or no longer
   * needs that watch): the wire client would otherwise keep it (and what it holds) until its watch
   * fires, and arm it again on the server after every reconnect.
   */
  unwatch(serverPath: string, watcher: Watcher): void {
    this.wire?.removeWatches(serverPath, WatcherType.any, watcher, ignore);
  }

  /** Adds credentials to the current session (if live) and to every later one. */
  addAuth(scheme: string, credentials: Buffer): void {
    this.auth.push({ scheme, auth: credentials });
    this.wire?.addAuth(scheme, credentials);
  }

  /**
   * Closes the session (its ephemeral nodes go) and ends the state stream with `closed`. The wire
   * client waits for the server, at most `graceMs`.
   */
  async close(graceMs: number): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const wire = this.wire;
    if (wire) {
      await wire.close(graceMs);
      wire.destroy();
    }
    this.wire = null;
    this.currentSessionId = null;
    this.events.next({ type: 'closed' });
    this.stateSubscription.unsubscribe();
  }

  private onState(state: ConnectionState): void {
    if (state === 'lost') {
      this.currentSessionId = null;
      this.lostAt = this.options.scheduler.now();
      const old = this.wire;
      if (old) {
        this.carriedZxid = old.lastZxid;
        old.destroy();
      }
      this.wire = null;
      // Subscribers of state$ see `lost` before the new session is attempted.
      this.states.next(state);
      if (!this.closing) this.wire = this.startWire();
      return;
    }
    if (state === 'auth-failed') this.wire?.destroy();
    this.states.next(state);
    if (state === 'closed') this.states.complete();
  }

  private startWire(): WireClient {
    const { scheduler, sessionTimeoutMs } = this.options;
    // A zxid from a wiped ensemble would be refused by every server forever; after a whole
    // session timeout without a new session, start from scratch.
    const carry = this.carriedZxid !== null && scheduler.now() - this.lostAt < sessionTimeoutMs;
    const wire = this.createWire({
      sessionTimeoutMs,
      ...(this.options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: this.options.connectTimeoutMs }),
      reconnectDelayMs: this.options.reconnectDelayMs,
      auth: [...this.auth],
      ...(carry ? { lastZxidSeen: this.carriedZxid! } : {}),
    });
    this.onSessionConnection = false;
    const current = () => !this.closing && this.wire === wire;
    wire.on('connected', ({ sessionId }) => {
      if (!current()) return;
      this.failedAttempts = 0;
      this.onSessionConnection = true;
      this.carriedZxid = null;
      this.currentSessionId = sessionId;
      this.events.next({ type: 'connected', sessionId });
    });
    wire.on('disconnected', ({ silentForMs }) => {
      if (!current()) return;
      this.onSessionConnection = false;
      this.events.next({ type: 'disconnected', sessionTimeLeftMs: wire.sessionTimeoutMs - silentForMs });
    });
    wire.on('connectionError', ({ error }) => {
      if (current() && !this.onSessionConnection) this.attemptFailed(error);
    });
    wire.on('expired', () => {
      if (current()) this.events.next({ type: 'expired' });
    });
    wire.on('authFailed', () => {
      if (current()) this.events.next({ type: 'auth-failed' });
    });
    wire.start();
    return wire;
  }

  private attemptFailed(error: Error): void {
    this.lastAttemptError = error;
    this.failedAttempts += 1;
  }
}

function ignore(): void {}
