import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { onTestFinished } from 'vitest';
import { sharedConnectString } from '../../helpers/zk.js';

/**
 * The other clients, each in a process of its own: a Java program on Debian's Apache Curator jars
 * (compiled here with javac) and a Python script on Debian's kazoo. A peer is one client, one
 * session; it takes JSON commands on stdin and reports JSON events on stdout.
 */
export type PeerKind = 'curator' | 'kazoo';

/** What a peer reports: `acquired`, `released`, `lost`, `cycles`, `session`, `error`... */
export interface PeerEvent {
  readonly event: string;
  readonly tag?: string;
  readonly [field: string]: unknown;
}

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const JAVA_LIBS = '/usr/share/java';
/** What the Curator peer needs on its classpath (Debian's libcurator-*-java and their dependencies). */
const JARS = [
  'curator-client',
  'curator-framework',
  'curator-recipes',
  'curator-x-discovery',
  'zookeeper',
  'zookeeper-jute',
  'guava',
  'jackson-core',
  'jackson-databind',
  'jackson-annotations',
  'slf4j-api',
  'slf4j-nop',
];
const INSTALL_CURATOR =
  'apt-get install -y libcurator-recipes-java libcurator-discovery-java openjdk-17-jdk-headless (Curator 5 jars in /usr/share/java, and javac)';
const INSTALL_KAZOO = 'apt-get install -y python3-kazoo (kazoo 2 for the system python3)';

let compiled: Promise<string> | null = null;

/** Compiles the Curator peer once per test process; resolves with its classpath. */
function curatorClasspath(): Promise<string> {
  compiled ??= (async () => {
    const missing = JARS.filter((jar) => !existsSync(join(JAVA_LIBS, `${jar}.jar`)));
    if (missing.length > 0) {
      throw new Error(`the Curator peer needs ${missing.map((j) => `${j}.jar`).join(', ')} in ${JAVA_LIBS}: ${INSTALL_CURATOR}`);
    }
    const classpath = JARS.map((jar) => join(JAVA_LIBS, `${jar}.jar`)).join(':');
    const out = await mkdtemp(join(tmpdir(), 'rxzk-curator-peer-'));
    process.once('exit', () => rmSync(out, { recursive: true, force: true }));
    try {
      await run('javac', ['-nowarn', '-cp', classpath, '-d', out, join(here, 'peers', 'CuratorPeer.java')]);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT') throw new Error(`javac was not found on PATH: ${INSTALL_CURATOR}`);
      throw new Error(`javac could not compile the Curator peer: ${String((error as { stderr?: unknown }).stderr ?? error)}`);
    }
    return `${classpath}:${out}`;
  })();
  return compiled;
}

/** The Python with kazoo: `KAZOO_PYTHON`, else the system's (`/usr/bin/python3`, where Debian puts python3-kazoo). */
async function kazooPython(): Promise<string> {
  const python = process.env.KAZOO_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  try {
    await run(python, ['-c', 'import kazoo.recipe.lock']);
  } catch {
    throw new Error(`${python} cannot import kazoo: ${INSTALL_KAZOO}, or set KAZOO_PYTHON to a Python that has it`);
  }
  return python;
}

/** A running peer process. */
export class Peer {
  readonly events: PeerEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private exited = false;
  private stderr = '';

  private constructor(
    readonly kind: PeerKind,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as PeerEvent);
      } catch {
        this.events.push({ event: 'output', line });
      }
      for (const wake of [...this.waiters]) wake();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', () => {
      this.exited = true;
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** Starts a peer on the shared server; it is stopped when the current test ends. */
  static async start(kind: PeerKind, options: { sessionTimeoutMs?: number } = {}): Promise<Peer> {
    const connectString = sharedConnectString();
    const session = String(options.sessionTimeoutMs ?? 6_000);
    const child =
      kind === 'curator'
        ? spawn('java', ['-cp', await curatorClasspath(), 'CuratorPeer', connectString, session])
        : spawn(await kazooPython(), [join(here, 'peers', 'kazoo_peer.py'), connectString, session]);
    const peer = new Peer(kind, child);
    onTestFinished(() => peer.stop());
    await peer.next((e) => e.event === 'ready', 'the peer to connect', 60_000);
    return peer;
  }

  /** Sends one command. */
  send(command: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /**
   * The first event (from `from` on) that matches; fails on an `error` event, on exit, or after
   * `timeoutMs`, naming `what` and the peer's last output.
   */
  next(match: (event: PeerEvent) => boolean, what: string, timeoutMs = 30_000, from = 0): Promise<PeerEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(from).find(match);
        const failed = this.events.slice(from).find((e) => e.event === 'error');
        if (found || failed || this.exited) {
          clearTimeout(timer);
          this.waiters.delete(check);
        }
        if (found) resolve(found);
        else if (failed) reject(new Error(`${this.kind} peer, waiting for ${what}: ${String(failed.message)}`));
        else if (this.exited) reject(new Error(`${this.kind} peer exited while waiting for ${what}: ${this.stderr}`));
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.kind} peer: timed out waiting for ${what}; stderr: ${this.stderr}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Whether an event for `tag` named `event` came. */
  has(tag: string, event: string): boolean {
    return this.events.some((e) => e.tag === tag && e.event === event);
  }

  /** The peer's session: its id (hex) and, for `expireSession`, its credentials. */
  async session(connectString = sharedConnectString()): Promise<{ id: string; sessionId: Buffer; sessionPassword: Buffer; connectString: string }> {
    const from = this.events.length;
    this.send({ cmd: 'session' });
    const e = await this.next((x) => x.event === 'session', 'its session', 30_000, from);
    const id = String(e.id);
    return {
      id: BigInt(`0x${id}`).toString(16),
      sessionId: Buffer.from(id.padStart(16, '0'), 'hex'),
      sessionPassword: Buffer.from(String(e.password), 'hex'),
      connectString,
    };
  }

  /** Closes the client (its session and ephemeral nodes go) and waits for the process to end. */
  async close(): Promise<void> {
    if (this.exited) return;
    const ended = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ cmd: 'close' });
    await ended;
  }

  /** Ends the process, however it stands. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const ended = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await ended;
    clearTimeout(kill);
  }
}
