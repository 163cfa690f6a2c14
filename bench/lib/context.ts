import { randomUUID } from 'node:crypto';
import { connect, type ConnectOptions, type ZkClient } from '../../src/index.js';
import type { RawClient } from '../../src/wire/nzc/raw-client.js';
import type { TestingZooKeeper } from '../../src/testing/index.js';
import { closeRaw, connectRaw } from '../../test/helpers/raw.js';
import { RAW_CLIENT_SETTINGS, RECONNECT_DELAY_MS, SESSION_TIMEOUT_MS } from './raw.js';

/** Settings of one bench run. */
export interface RunSettings {
  /** `--quick`: fewer rounds and iterations, smaller trees; a smoke check. */
  readonly quick: boolean;
  /** Rounds per case (each round runs both contenders once). */
  readonly rounds: number;
  /** Unrecorded rounds per case before those (see `CaseSpec.warmUpRounds`). */
  readonly warmUpRounds: number;
}

/** Raised inside a scenario when the run was interrupted (SIGINT). */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

/**
 * What a scenario gets: the server, clients of both kinds (connected, closed at the end of the
 * run if the scenario did not), a unique root for its nodes, and the run's scale.
 */
export class BenchContext {
  /** Every node the bench makes lives below this path; it is deleted at the end. */
  readonly root = `/rxzk-bench-${randomUUID().slice(0, 8)}`;
  private readonly clients = new Set<ZkClient>();
  private readonly raws = new Set<RawClient>();
  private interrupted = false;
  private counter = 0;

  constructor(
    readonly server: TestingZooKeeper,
    /**
     * Where the contenders connect: the one server of a standalone run; in an ensemble, one
     * follower for both, so that neither lands on a faster member by the client's random pick.
     */
    readonly connectString: string,
    readonly settings: RunSettings,
    /** A raw client that makes the changes the contenders watch (on the leader, in an ensemble). */
    readonly writer: RawClient,
    private readonly log: (line: string) => void,
  ) {}

  get quick(): boolean {
    return this.settings.quick;
  }

  get rounds(): number {
    return this.settings.rounds;
  }

  get warmUpRounds(): number {
    return this.settings.warmUpRounds;
  }

  /** `quick` in a quick run, `full` otherwise. */
  scale<T>(quick: T, full: T): T {
    return this.settings.quick ? quick : full;
  }

  /** A unique path below the run's root (not created). */
  path(name: string): string {
    this.counter++;
    return `${this.root}/${name}-${this.counter}`;
  }

  /** A connected rxzk client with the bench's settings. */
  async client(options: ConnectOptions = {}): Promise<ZkClient> {
    const zk = connect(this.connectString, {
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      reconnectDelayMs: RECONNECT_DELAY_MS,
      ...options,
    });
    this.clients.add(zk);
    try {
      await zk.ready({ timeoutMs: 15_000 });
    } catch (error) {
      await this.closeClient(zk);
      throw error;
    }
    return zk;
  }

  async closeClient(zk: ZkClient): Promise<void> {
    this.clients.delete(zk);
    await zk.close();
  }

  /** A connected raw node-zookeeper-client with the bench's settings. */
  async rawClient(sessionTimeoutMs = SESSION_TIMEOUT_MS): Promise<RawClient> {
    const raw = await connectRaw(this.connectString, { ...RAW_CLIENT_SETTINGS, sessionTimeoutMs });
    this.raws.add(raw);
    return raw;
  }

  /** Remembers a raw client made elsewhere (e.g. after a session expiry) so the run closes it. */
  adoptRaw(raw: RawClient): void {
    this.raws.add(raw);
  }

  async closeRaw(raw: RawClient): Promise<void> {
    this.raws.delete(raw);
    await closeRaw(raw);
  }

  /** Whether any member still has a connection on the session (`cons`). */
  async hasConnection(sessionHex: string): Promise<boolean> {
    const needle = `sid=0x${sessionHex},`;
    for (let i = 0; i < this.server.size; i++) {
      const reply = await this.server.fourLetter(i, 'cons').catch(() => '');
      if (reply.includes(needle)) return true;
    }
    return false;
  }

  /**
   * Requests the server has received on a session so far (pings included), from `cons` on every
   * member; NaN if no member lists the session.
   */
  async packetsReceived(sessionHex: string): Promise<number> {
    const needle = `sid=0x${sessionHex},`;
    for (let i = 0; i < this.server.size; i++) {
      const reply = await this.server.fourLetter(i, 'cons').catch(() => '');
      for (const line of reply.split('\n')) {
        if (!line.includes(needle)) continue;
        const match = /recved=(\d+)/.exec(line);
        if (match) return Number(match[1]);
      }
    }
    return Number.NaN;
  }

  progress(what: string): void {
    this.log(`  · ${what}`);
  }

  interrupt(): void {
    this.interrupted = true;
  }

  get wasInterrupted(): boolean {
    return this.interrupted;
  }

  checkInterrupted(): void {
    if (this.interrupted) throw new Interrupted('interrupted');
  }

  /** Closes every client a scenario left open. */
  async closeAll(): Promise<void> {
    const clients = [...this.clients];
    const raws = [...this.raws];
    this.clients.clear();
    this.raws.clear();
    await Promise.allSettled([...clients.map((zk) => zk.close()), ...raws.map((raw) => closeRaw(raw))]);
  }
}
