import type { Readable } from 'node:stream';
import type { GenericContainer, StartedTestContainer } from 'testcontainers';
import { fourLetter, type FourLetterCommand } from '../admin/four-letter.js';
import { UnsupportedByZooKeeperSourceError } from '../errors/tool-errors.js';
import { freePorts } from './free-port.js';
import { leaderIndexOf } from './leader-index-of.js';
import { serverJvmOptions, zooCfg, type ServerSettings } from './server-config.js';
import type { TestingZooKeeper } from './testing-zookeeper.js';
import { waitServing } from './wait-serving.js';

/**
 * The image the container source runs by default: the official `zookeeper:3.8`. Another image
 * (the `image` option, or `RXZK_ZOOKEEPER_IMAGE`) must behave as it does: read `/conf/zoo.cfg`,
 * keep its data in `/data`, take the member's id from `ZOO_MY_ID` and JVM options from
 * `JVMFLAGS`. `scripts/zookeeper-image.sh` builds such an image without any registry.
 */
export const ZOOKEEPER_IMAGE = 'zookeeper:3.8';

/** Options for starting ZooKeeper in containers; see `startZooKeeper`. */
export interface ContainerZooKeeperOptions extends ServerSettings {
  servers: 1 | 3;
  /** The image to run; see {@link ZOOKEEPER_IMAGE} for what it must do. */
  image: string;
  startTimeoutMs: number;
}

const CLIENT_PORT = 2181;
const QUORUM_PORT = 2888;
const ELECTION_PORT = 3888;
const START_ATTEMPTS = 3;

type Testcontainers = typeof import('testcontainers');

/**
 * Starts ZooKeeper in containers through testcontainers (an optional peer dependency): one
 * container per member, on a container network of its own where members reach each other by
 * container name (`<network>-zk1`, `-zk2`, `-zk3`).
 *
 * The server is configured by a `zoo.cfg` copied to `/conf/zoo.cfg`, `ZOO_MY_ID` and `JVMFLAGS`,
 * which the official `zookeeper` image honours, as does the image `scripts/zookeeper-image.sh`
 * builds from Debian's packages. Each member's client port is published on a fixed host port
 * (loopback only when the Docker engine is local), so `kill(i)` (SIGKILL to the container) and
 * `restart(i)` (the same container started again, with its data) keep the connect string valid.
 */
export async function startContainerZooKeeper(options: ContainerZooKeeperOptions): Promise<TestingZooKeeper> {
  const tc = await importTestcontainers();
  const runtime = await tc.getContainerRuntimeClient().catch((err: unknown) => {
    throw new Error(
      `startZooKeeper (container source): no container runtime is reachable (DOCKER_HOST=${process.env['DOCKER_HOST'] ?? 'unset'}): ` +
        `${(err as Error).message}. Start a Docker engine, or use the local jars (unset RXZK_TESTCONTAINERS).`,
      { cause: err },
    );
  });
  const engineHost = runtime.info.containerRuntime.host;
  const local = ['localhost', '127.0.0.1', '::1'].includes(engineHost);
  const host = local ? '127.0.0.1' : engineHost;
  const network = await new tc.Network().start();

  // Members find each other by container name. (Not by network alias: testcontainers attaches a
  // container with aliases to the engine's default bridge first, which an engine may not have.)
  const names = Array.from({ length: options.servers }, (_, i) => `${network.getName()}-zk${i + 1}`);
  const peers =
    options.servers > 1 ? names.map((name) => `${name}:${QUORUM_PORT}:${ELECTION_PORT}`) : undefined;
  const config = zooCfg(options, { dataDir: '/data', clientPort: CLIENT_PORT, peers });
  const jvmFlags = serverJvmOptions(options).join(' ');

  const members: ContainerMember[] = [];
  const stopMembers = () => Promise.all(members.map((m) => m.remove()));
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(options.servers);
    members.length = 0;
    names.forEach((name, i) => members.push(new ContainerMember(i, name, `${host}:${ports[i]}`, runtime)));
    try {
      // Every start is let finish, so that a member still starting when another fails is not
      // left running when the others are removed.
      const starts = await Promise.allSettled(
        members.map(async (m, i) => {
          const container = new tc.GenericContainer(options.image)
            .withNetwork(network)
            .withName(names[i]!)
            .withExposedPorts({ container: CLIENT_PORT, host: ports[i]! })
            .withEnvironment({ ZOO_MY_ID: String(i + 1), JVMFLAGS: jvmFlags })
            .withCopyContentToContainer([{ content: config, target: '/conf/zoo.cfg', mode: 0o644 }])
            .withStartupTimeout(options.startTimeoutMs)
            .withWaitStrategy(tc.Wait.forListeningPorts());
          if (local) onLoopback(container);
          m.container = await container.start();
        }),
      );
      const failed = starts.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      const deadline = Date.now() + options.startTimeoutMs;
      await Promise.all(members.map((m) => waitServing(m, deadline)));
      break;
    } catch (err) {
      await stopMembers();
      const message = (err as Error).message;
      if (attempt < START_ATTEMPTS && /already allocated|address already in use/i.test(message)) continue;
      await network.stop().catch(() => undefined);
      throw new Error(
        `startZooKeeper (container source): could not start ${options.servers} member(s) from image ${options.image}: ${message}` +
          (/registry|pull|manifest|repository|no such image|not found/i.test(message)
            ? '\nWithout access to an image registry, build an image with scripts/zookeeper-image.sh ' +
              '(shipped in the rxzk package) and name it in RXZK_ZOOKEEPER_IMAGE.'
            : ''),
        { cause: err },
      );
    }
  }

  const member = (i: number): ContainerMember => {
    const m = members[i];
    if (!m) throw new RangeError(`no ZooKeeper member ${i} (there are ${members.length})`);
    return m;
  };
  let stopped = false;
  return {
    connectString: members.map((m) => m.address).join(','),
    size: members.length,
    source: 'container',
    address: (i) => member(i).address,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopMembers();
      await network.stop().catch(() => undefined);
    },
    kill: (i) => member(i).kill(),
    async restart(i) {
      if (stopped) throw new Error('this ZooKeeper was stopped');
      await member(i).restart(Date.now() + options.startTimeoutMs);
    },
    leaderIndex: () => leaderIndexOf(members),
    fourLetter: (i, command: FourLetterCommand) => fourLetter(member(i).address, command),
  };
}

/** One member's container, started, killed and started again in place. */
class ContainerMember {
  container: StartedTestContainer | undefined;
  private killed = false;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly address: string,
    private readonly runtime: Awaited<ReturnType<Testcontainers['getContainerRuntimeClient']>>,
  ) {}

  get running(): boolean {
    return this.container !== undefined && !this.killed;
  }

  /** SIGKILL to the server, as `kill -9` does to a local one; the container and its data stay. */
  async kill(): Promise<void> {
    if (!this.running) return;
    const docker = this.runtime.container.getById(this.container!.getId());
    this.killed = true;
    await docker.kill({ signal: 'SIGKILL' }).catch(() => undefined);
    await docker.wait();
  }

  /** Starts the same container again (same host port, same data) and waits until it serves. */
  async restart(deadline: number): Promise<void> {
    if (!this.container) throw new Error(`ZooKeeper member ${this.index} was never started`);
    await this.container.restart();
    this.killed = false;
    await waitServing(this, deadline);
  }

  /**
   * Removes the container and its data, also one that was created but failed to start (which
   * testcontainers leaves behind, and whose name a new attempt needs).
   */
  async remove(): Promise<void> {
    const container = this.container;
    this.container = undefined;
    await container?.stop({ timeout: 0, removeVolumes: true }).catch(() => undefined);
    await this.runtime.container.dockerode
      .getContainer(this.name)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }

  async logTail(lines = 30): Promise<string> {
    if (!this.container) return '(no container)';
    try {
      const stream: Readable = await this.container.logs({ tail: lines });
      let text = '';
      stream.on('data', (chunk: Buffer | string) => (text += chunk.toString()));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        stream.once('end', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      stream.destroy();
      return text || '(empty log)';
    } catch (err) {
      return `(no log: ${(err as Error).message})`;
    }
  }
}

async function importTestcontainers(): Promise<Testcontainers> {
  try {
    return await import('testcontainers');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new UnsupportedByZooKeeperSourceError(
        'RXZK_TESTCONTAINERS=1 needs the testcontainers package: npm install --save-dev testcontainers',
        { cause: err },
      );
    }
    // Installed but unusable here, e.g. a major that needs a newer Node.js than this one.
    throw new UnsupportedByZooKeeperSourceError(
      `the testcontainers package could not be loaded on Node.js ${process.version}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Publishes the container's ports on the loopback interface only: a test server has no business
 * on the machine's other interfaces. testcontainers binds every interface and offers no option,
 * so the port bindings it prepared are narrowed before the container is created.
 */
function onLoopback(container: GenericContainer): void {
  const bindings = (container as unknown as { hostConfig: { PortBindings?: Record<string, { HostIp?: string }[]> } })
    .hostConfig.PortBindings;
  for (const binding of Object.values(bindings ?? {})) {
    for (const b of binding) b.HostIp = '127.0.0.1';
  }
}
