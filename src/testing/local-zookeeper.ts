import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fourLetter, type FourLetterCommand } from '../admin/four-letter.js';
import { findZooKeeper, type ZooKeeperInstallation } from './find-zookeeper.js';
import { freePorts } from './free-port.js';
import { leaderIndexOf } from './leader-index-of.js';
import { serverJvmOptions, zooCfg, type ServerSettings } from './server-config.js';
import type { TestingZooKeeper } from './testing-zookeeper.js';
import { waitServing } from './wait-serving.js';

/** Options for starting ZooKeeper from local jars; see `startZooKeeper`. */
export interface LocalZooKeeperOptions extends ServerSettings {
  servers: 1 | 3;
  startTimeoutMs: number;
  installation?: ZooKeeperInstallation;
}

const HOST = '127.0.0.1';
const START_ATTEMPTS = 3;

/** Every JVM any handle in this process started and has not yet seen exit, by PID. */
const liveJavaPids = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A fast path for a normal exit; the watchdog shell around each JVM covers a parent that is
  // killed outright (see `Member.spawn`).
  process.on('exit', () => {
    for (const pid of liveJavaPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

interface Ports {
  client: number;
  quorum: number;
  election: number;
}

class Member {
  private shell: ChildProcess | undefined;
  private javaPid: number | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly index: number,
    readonly dir: string,
    public ports: Ports,
  ) {}

  get address(): string {
    return `${HOST}:${this.ports.client}`;
  }

  get logPath(): string {
    return join(this.dir, 'zookeeper.log');
  }

  get running(): boolean {
    return this.javaPid !== undefined;
  }

  /**
   * Runs the JVM under a small watchdog shell. The shell holds our stdin pipe: when this Node
   * process dies, however it dies, the pipe closes and the shell kills the JVM, so no server
   * outlives its parent.
   */
  async spawn(installation: ZooKeeperInstallation, mainClass: string, jvmOptions: readonly string[]): Promise<void> {
    installExitHook();
    const script = [
      'exec 3<&0',
      '"$RXZK_JAVA" $RXZK_JVM_OPTS -cp "$RXZK_CP" "$RXZK_MAIN" "$RXZK_CFG" </dev/null >>"$RXZK_LOG" 2>&1 3<&- &',
      'jpid=$!',
      'echo "$jpid"',
      // The watchdog: EOF on our stdin means the parent is gone.
      '( read -r _ <&3; : >"$RXZK_ORPHANED"; kill -TERM "$jpid" 2>/dev/null; sleep 3; kill -KILL "$jpid" 2>/dev/null ) &',
      'wpid=$!',
      'exec 3<&-',
      'wait "$jpid"',
      'status=$?',
      'kill "$wpid" 2>/dev/null',
      // An orphaned server also takes its temporary data with it.
      'if [ -e "$RXZK_ORPHANED" ]; then rm -rf "$RXZK_BASE"; fi',
      'exit "$status"',
    ].join('\n');
    const shell = spawn('/bin/sh', ['-c', script], {
      // A process group of its own: a terminal's Ctrl-C goes to the program that started the
      // server, which stops it in order, rather than killing the server under it. The watchdog
      // still ends it with its parent. The shell's own messages ("Killed") are not wanted.
      detached: true,
      stdio: ['pipe', 'pipe', 'ignore'],
      env: {
        ...process.env,
        RXZK_JAVA: installation.java,
        RXZK_JVM_OPTS: jvmOptions.join(' '),
        RXZK_CP: installation.classPath,
        RXZK_MAIN: mainClass,
        RXZK_CFG: join(this.dir, 'zoo.cfg'),
        RXZK_LOG: this.logPath,
        RXZK_ORPHANED: join(this.dir, 'orphaned'),
        RXZK_BASE: dirname(this.dir),
      },
    });
    this.shell = shell;
    this.exited = new Promise((resolve) => shell.once('exit', () => resolve()));
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      shell.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n') && line) resolve(Number(line));
      });
      shell.once('exit', (code) => reject(new Error(`watchdog shell exited (${code}) before starting java`)));
    });
    this.javaPid = pid;
    liveJavaPids.add(pid);
    void this.exited.then(() => {
      liveJavaPids.delete(pid);
      if (this.javaPid === pid) this.javaPid = undefined;
    });
  }

  async stop(signal: 'SIGTERM' | 'SIGKILL', graceMs = 5000): Promise<void> {
    const pid = this.javaPid;
    if (pid === undefined) return;
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
    const gone = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!gone) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await this.exited;
    }
    this.shell?.stdin?.destroy();
  }

  async logTail(lines = 30): Promise<string> {
    try {
      const text = await readFile(this.logPath, 'utf8');
      return text.split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Resolves once the member serves; rejects if its JVM exits first. */
  waitServing(deadline: number): Promise<void> {
    return waitServing(this, deadline);
  }
}

/** Starts a standalone server or 3-member ensemble from local jars. */
export async function startLocalZooKeeper(options: LocalZooKeeperOptions): Promise<TestingZooKeeper> {
  const installation = options.installation ?? findZooKeeper();
  const base = await mkdtemp(join(tmpdir(), 'rxzk-zookeeper-'));
  const members: Member[] = [];
  for (let i = 0; i < options.servers; i++) {
    const dir = join(base, `server-${i}`);
    await mkdir(join(dir, 'data'), { recursive: true });
    members.push(new Member(i, dir, { client: 0, quorum: 0, election: 0 }));
  }
  const mainClass =
    options.servers === 1
      ? 'org.apache.zookeeper.server.ZooKeeperServerMain'
      : 'org.apache.zookeeper.server.quorum.QuorumPeerMain';
  const jvmOptions = serverJvmOptions(options);

  const writeConfigs = async () => {
    const ports = await freePorts(options.servers * 3, HOST);
    members.forEach((m, i) => {
      m.ports = { client: ports[i * 3]!, quorum: ports[i * 3 + 1]!, election: ports[i * 3 + 2]! };
    });
    for (const m of members) {
      await writeFile(join(m.dir, 'zoo.cfg'), configFor(m, members, options));
      await writeFile(join(m.dir, 'data', 'myid'), `${m.index + 1}\n`);
    }
  };

  const startAll = async () => {
    await Promise.all(members.map((m) => m.spawn(installation, mainClass, jvmOptions)));
    const deadline = Date.now() + options.startTimeoutMs;
    await Promise.all(members.map((m) => m.waitServing(deadline)));
  };

  let stopped = false;
  const stopAll = async () => {
    await Promise.all(members.map((m) => m.stop('SIGTERM')));
  };

  for (let attempt = 1; ; attempt++) {
    await writeConfigs();
    try {
      await startAll();
      break;
    } catch (err) {
      await Promise.all(members.map((m) => m.stop('SIGKILL')));
      const logs = await Promise.all(members.map((m) => m.logTail(200)));
      const portClash = logs.some((log) => /Address already in use|BindException/.test(log));
      if (attempt < START_ATTEMPTS && portClash) continue;
      await rm(base, { recursive: true, force: true });
      throw new Error(
        `could not start ZooKeeper (${options.servers} server(s)) from ${installation.source}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  const member = (i: number): Member => {
    const m = members[i];
    if (!m) throw new RangeError(`no ZooKeeper member ${i} (there are ${members.length})`);
    return m;
  };

  return {
    connectString: members.map((m) => m.address).join(','),
    size: members.length,
    source: 'local',
    address: (i) => member(i).address,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
      await rm(base, { recursive: true, force: true });
    },
    async kill(i) {
      await member(i).stop('SIGKILL');
    },
    async restart(i) {
      const m = member(i);
      if (stopped) throw new Error('this ZooKeeper was stopped');
      await m.stop('SIGTERM');
      await m.spawn(installation, mainClass, jvmOptions);
      await m.waitServing(Date.now() + options.startTimeoutMs);
    },
    leaderIndex: () => leaderIndexOf(members),
    fourLetter: (i, command: FourLetterCommand) => fourLetter(member(i).address, command),
  };
}

function configFor(m: Member, members: readonly Member[], options: LocalZooKeeperOptions): string {
  return zooCfg(options, {
    dataDir: join(m.dir, 'data'),
    clientPort: m.ports.client,
    clientPortAddress: HOST,
    peers: members.length > 1 ? members.map((peer) => `${HOST}:${peer.ports.quorum}:${peer.ports.election}`) : undefined,
  });
}
