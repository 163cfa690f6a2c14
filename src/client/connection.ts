import { BehaviorSubject, defer, of, Subject, type Observable, type Subscription } from 'rxjs';
import { connectionStates, type SessionEvent } from '../session/connection-states.js';
import { isLive, type ConnectionState } from '../model/connection-state.js';
import type { ResolvedOptions } from './options.js';
import {
  createRawClient,
  RAW_CONNECTION_STATE,
  RAW_EVENT,
  removeWatcher,
  setWatchesBytes,
  takeAllWatchers,
  type RawClient,
  type RawConnectionManager,
  type RawWatcher,
} from './raw-client.js';
import type { SessionCredentials } from './session-credentials.js';
import { sessionIdHex } from '../model/stat.js';

/**
 * Owns the session, because node-zookeeper-client does not: it runs one wire client at a time and
 * adds what that client lacks.
 *
 * - Liveness: if nothing is heard from the server for 2/3 of the session timeout (the client pings
 *   every 1/3), the socket is cut so the client moves on: `suspended` instead of a silent hang.
 * - A connect deadline: an attempt that opened a socket but got no session reply in time is cut,
 *   so a member that accepts connections but never answers does not hold the client forever.
 * - The session clock (in {@link connectionStates}): a whole session timeout without the ensemble
 *   means `lost`.
 * - After `lost` the wire client is retired for good (it would keep offering the dead session)
 *   and a new one is started, with the credentials added before anything else is sent, and with
 *   the last zxid seen, so that the new session never reads older state than the old one did.
 */
export class Connection {
  private readonly events = new Subject<SessionEvent>();
  private readonly states = new BehaviorSubject<ConnectionState>('connecting');
  private readonly stateSubscription: Subscription;
  private readonly auth: { scheme: string; credentials: Buffer }[];
  private rawClient: RawClient | null = null;
  private readonly retired = new WeakSet<RawClient>();
  private lastHeard = 0;
  private liveness: Subscription | null = null;
  private connectDeadline: Subscription | null = null;
  private closing = false;
  private currentSessionId: string | null = null;
  /** Last zxid of retired clients; given to the next one, unless it cannot get a session with it. */
  private carriedZxid: Buffer | null = null;
  private lostAt = 0;
  private lastAttemptError: Error | null = null;
  private failedAttempts = 0;

  constructor(private readonly options: ResolvedOptions) {
    this.auth = options.auth.map((a) => ({
      scheme: a.scheme,
      credentials: Buffer.isBuffer(a.credentials) ? a.credentials : Buffer.from(a.credentials),
    }));
    this.stateSubscription = this.events.pipe(connectionStates(options.scheduler)).subscribe({
      next: (state) => this.onState(state),
    });
    this.rawClient = this.startRaw();
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
  get live(): RawClient | null {
    return isLive(this.states.value) ? this.rawClient : null;
  }

  get sessionId(): string | null {
    return this.currentSessionId;
  }

  /** The timeout the server granted (or the one asked for, before the first session). */
  get sessionTimeoutMs(): number {
    return this.rawClient?.getSessionTimeout() ?? this.options.sessionTimeoutMs;
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
    const raw = this.rawClient;
    if (!raw || this.currentSessionId === null) return null;
    const session = this.currentSessionId;
    return {
      sessionId: raw.getSessionId(),
      sessionPassword: raw.getSessionPassword(),
      connectString: this.options.connectString,
      dropConnection: () => {
        // Only a connection that is up on this session: one already reconnecting will hear the
        // session's fate anyway, and cutting it would only delay that.
        const connected = raw.connectionManager.state === RAW_CONNECTION_STATE.CONNECTED;
        if (this.rawClient === raw && this.currentSessionId === session && connected) {
          raw.connectionManager.socket?.destroy();
        }
      },
    };
  }

  /**
   * Takes a stream's watcher function off the wire client's lists once the stream has ended: the
   * wire client would otherwise keep it (and what it holds) until its watch fires, and arm it
   * again on the server after every reconnect.
   */
  unwatch(serverPath: string, watcher: RawWatcher): void {
    if (this.rawClient) removeWatcher(this.rawClient, serverPath, watcher);
  }

  /** Adds credentials to the current session (if live) and to every later one. */
  addAuth(scheme: string, credentials: Buffer): void {
    this.auth.push({ scheme, credentials });
    this.rawClient?.addAuthInfo(scheme, credentials);
  }

  /**
   * Closes the session (its ephemeral nodes go) and ends the state stream with `closed`. A
   * handshake under way is waited for (up to `graceMs`): the server may already have made a
   * session for it, which would otherwise live on, unused, until it expired.
   */
  async close(graceMs: number): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const raw = this.rawClient;
    const manager = raw?.connectionManager;
    if (raw && !this.live && manager?.state === RAW_CONNECTION_STATE.CONNECTING && handshakeSent(manager.socket)) {
      await this.within(graceMs, (done) => raw.once('connected', done));
    }
    if (raw && manager?.state === RAW_CONNECTION_STATE.CONNECTED) {
      await this.within(graceMs, (done) => {
        raw.once('disconnected', done);
        raw.close();
      });
    }
    if (raw) this.retire(raw);
    this.rawClient = null;
    this.currentSessionId = null;
    this.events.next({ type: 'closed' });
    this.stateSubscription.unsubscribe();
  }

  /** Resolves when `start` calls its callback, or after `ms`, whichever comes first. */
  private within(ms: number, start: (done: () => void) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = this.options.scheduler.schedule(() => resolve(), ms);
      start(() => {
        timer.unsubscribe();
        resolve();
      });
    });
  }

  private onState(state: ConnectionState): void {
    if (state === 'lost') {
      this.currentSessionId = null;
      this.lostAt = this.options.scheduler.now();
      const old = this.rawClient;
      if (old) {
        this.carriedZxid = Buffer.from(old.connectionManager.zxid);
        this.retire(old);
      }
      this.rawClient = null;
      // Subscribers of state$ see `lost` before the new session is attempted.
      this.states.next(state);
      if (!this.closing) this.rawClient = this.startRaw();
      return;
    }
    if (state === 'auth-failed' && this.rawClient) {
      this.retire(this.rawClient);
    }
    this.states.next(state);
    if (state === 'closed') this.states.complete();
  }

  private startRaw(): RawClient {
    const { scheduler } = this.options;
    const raw = createRawClient(this.options.connectString, {
      sessionTimeout: this.options.sessionTimeoutMs,
      spinDelay: this.options.reconnectDelayMs,
      // The raw client would re-send creates blindly after a connection loss; retries are ours.
      retries: 0,
    });
    const manager = raw.connectionManager;
    // A zxid from a wiped ensemble would be refused by every server forever; after a whole
    // session timeout without a new session, start from scratch.
    if (this.carriedZxid && scheduler.now() - this.lostAt < this.options.sessionTimeoutMs) {
      manager.zxid = Buffer.from(this.carriedZxid);
    }
    for (const { scheme, credentials } of this.auth) raw.addAuthInfo(scheme, credentials);

    const onSocketData = manager.onSocketData;
    manager.onSocketData = (buffer: Buffer) => {
      this.lastHeard = scheduler.now();
      onSocketData.call(manager, buffer);
    };
    const findNextServer = manager.findNextServer;
    manager.findNextServer = (callback) => {
      findNextServer.call(manager, (server: unknown) => {
        // A retired client may still have a reconnect timer pending: it must not open a socket.
        if (this.retired.has(raw) || this.rawClient !== raw) return;
        callback(server);
        manager.socket?.once('error', (error) => {
          // An error on a connection that had its session is not a failed attempt.
          if (this.rawClient === raw && manager.state !== RAW_CONNECTION_STATE.CONNECTED) this.attemptFailed(error);
        });
        this.armConnectDeadline(raw, manager.socket);
      });
    };
    raw.on('connected', () => {
      if (this.closing || this.rawClient !== raw) return;
      this.connectDeadline?.unsubscribe();
      this.connectDeadline = null;
      this.failedAttempts = 0;
      this.lastHeard = scheduler.now();
      this.watchLiveness(raw);
      const announce = () => {
        if (this.closing || this.rawClient !== raw || raw.connectionManager.state !== RAW_CONNECTION_STATE.CONNECTED) return;
        this.carriedZxid = null;
        this.currentSessionId = sessionIdHex(raw.getSessionId());
        this.events.next({ type: 'connected', sessionId: this.currentSessionId });
      };
      if (this.auth.length === 0) return announce();
      // The credentials went out first; the server answers in order, so once a later request is
      // answered they were accepted (a rejection ends the session with 'auth-failed' instead).
      raw.exists('/', undefined, (error) => {
        if (!error) announce();
      });
    });
    raw.on('disconnected', () => {
      if (this.closing || this.rawClient !== raw) return;
      this.liveness?.unsubscribe();
      this.liveness = null;
      const silentFor = scheduler.now() - this.lastHeard;
      this.events.next({ type: 'disconnected', sessionTimeLeftMs: raw.getSessionTimeout() - silentFor });
      this.shedWatchesIfTooMany(raw);
    });
    raw.on('expired', () => {
      if (this.closing || this.rawClient !== raw) return;
      this.events.next({ type: 'expired' });
    });
    raw.on('authenticationFailed', () => {
      if (this.closing || this.rawClient !== raw) return;
      this.events.next({ type: 'auth-failed' });
    });
    raw.connect();
    return raw;
  }

  /**
   * Before the wire client reconnects, which re-arms every watch in one SetWatches request: if
   * that request would be over the server's limit, the server would close the connection at once,
   * and again at every attempt, forever. Then nothing is re-armed; every watcher is told its watch
   * is gone (an event of type NONE) and its stream reads again, re-arming, once the session is
   * back. (The Java client splits SetWatches into packets instead; kazoo never sends it.)
   */
  private shedWatchesIfTooMany(raw: RawClient): void {
    if (setWatchesBytes(raw) <= this.options.maxRequestBytes) return;
    for (const [watcher, path] of takeAllWatchers(raw)) {
      watcher({ type: RAW_EVENT.NONE, name: 'NONE', path });
    }
  }

  /** Cuts the socket if the server has said nothing for 2/3 of the session timeout. */
  private watchLiveness(raw: RawClient): void {
    const { scheduler } = this.options;
    const readTimeout = Math.floor((raw.getSessionTimeout() * 2) / 3);
    const checkIn = (delay: number) => {
      this.liveness = scheduler.schedule(() => {
        if (this.rawClient !== raw) return;
        const silentFor = scheduler.now() - this.lastHeard;
        if (silentFor >= readTimeout) {
          this.liveness = null;
          raw.connectionManager.socket?.destroy();
        } else {
          checkIn(readTimeout - silentFor);
        }
      }, delay);
    };
    this.liveness?.unsubscribe();
    checkIn(readTimeout);
  }

  private armConnectDeadline(raw: RawClient, socket: { destroy(): void } | undefined): void {
    if (!socket) return;
    const timeout =
      this.options.connectTimeoutMs ?? Math.max(500, Math.floor(raw.getSessionTimeout() / this.options.servers.length));
    this.connectDeadline?.unsubscribe();
    this.connectDeadline = this.options.scheduler.schedule(() => {
      this.connectDeadline = null;
      const manager = raw.connectionManager;
      if (manager.socket === socket && manager.state !== RAW_CONNECTION_STATE.CONNECTED) {
        this.attemptFailed(new Error(`no session reply within ${timeout} ms`));
        socket.destroy();
      }
    }, timeout);
  }

  private attemptFailed(error: Error): void {
    this.lastAttemptError = error;
    this.failedAttempts += 1;
  }

  /** Stops a wire client for good: no reconnects, no events, its socket closed. */
  private retire(raw: RawClient): void {
    this.retired.add(raw);
    raw.removeAllListeners();
    this.liveness?.unsubscribe();
    this.liveness = null;
    this.connectDeadline?.unsubscribe();
    this.connectDeadline = null;
    const manager = raw.connectionManager;
    manager.connect = () => {};
    // Its own TCP connect timer would keep the process alive for nothing.
    if (manager.connectTimeoutHandler) clearTimeout(manager.connectTimeoutHandler);
    manager.setState(RAW_CONNECTION_STATE.CLOSED);
    manager.socket?.destroy();
  }
}

/** Whether a socket is open to a server, so that the wire client has sent its connect request. */
function handshakeSent(socket: RawConnectionManager['socket']): boolean {
  return socket !== undefined && socket.connecting === false && socket.destroyed !== true;
}
