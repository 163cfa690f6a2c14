/**
 * What `startZooKeeper` promises of every server it starts, whichever source runs it: the same
 * `zoo.cfg` settings and JVM options for local jars and for containers, so a test behaves the
 * same on both.
 */
export interface ServerSettings {
  /** The server's tick in milliseconds. */
  tickTimeMs: number;
  /** Smallest session timeout the server grants. */
  minSessionTimeoutMs: number;
  /** Largest session timeout the server grants. */
  maxSessionTimeoutMs: number;
  /** The server's `jute.maxbuffer`; ZooKeeper's own default when absent. */
  juteMaxBuffer?: number;
  /** fsync the transaction log on every write. */
  forceSync: boolean;
  /** Extra JVM options, after the harness's own (so they win). */
  jvmOptions: readonly string[];
}

/** Where one member runs, as its own process sees it. */
export interface MemberPlacement {
  /** Its data directory (holding `myid` in an ensemble). */
  dataDir: string;
  /** Its client port. */
  clientPort: number;
  /** The address the client port binds; every address when absent. */
  clientPortAddress?: string;
  /** `host:quorumPort:electionPort` of every member, by id (1, 2, 3); absent for standalone. */
  peers?: readonly string[];
}

/**
 * How often the server looks for empty container nodes and expired TTL nodes. ZooKeeper's default
 * is a minute; tests that watch an abandoned parent disappear should not wait that long.
 */
export const CONTAINER_CHECK_INTERVAL_MS = 500;

/** The `zoo.cfg` of one member. */
export function zooCfg(settings: ServerSettings, placement: MemberPlacement): string {
  const lines = [
    `tickTime=${settings.tickTimeMs}`,
    `dataDir=${placement.dataDir}`,
    `clientPort=${placement.clientPort}`,
    ...(placement.clientPortAddress ? [`clientPortAddress=${placement.clientPortAddress}`] : []),
    `minSessionTimeout=${settings.minSessionTimeoutMs}`,
    `maxSessionTimeout=${settings.maxSessionTimeoutMs}`,
    'maxClientCnxns=0',
    'admin.enableServer=false',
    '4lw.commands.whitelist=*',
    `forceSync=${settings.forceSync ? 'yes' : 'no'}`,
  ];
  const peers = placement.peers ?? [];
  if (peers.length > 1) {
    lines.push(
      // Generous limits in ticks: a loaded 2-core machine must not drop followers spuriously.
      `initLimit=${Math.max(10, Math.ceil(20_000 / settings.tickTimeMs))}`,
      `syncLimit=${Math.max(5, Math.ceil(5_000 / settings.tickTimeMs))}`,
      'reconfigEnabled=false',
      'standaloneEnabled=false',
      // Peers bind the address their own server line names, not every interface.
      'quorumListenOnAllIPs=false',
      ...peers.map((peer, i) => `server.${i + 1}=${peer}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The JVM options of every member. System properties go here rather than in `zoo.cfg`: ZooKeeper
 * reads `znode.container.checkIntervalMs` and `jute.maxbuffer` under exactly these names, which a
 * `zoo.cfg` key (turned into `zookeeper.<key>`) cannot give.
 */
export function serverJvmOptions(settings: ServerSettings): string[] {
  return [
    '-Xms32m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-XX:-UsePerfData',
    '-Djava.net.preferIPv4Stack=true',
    '-Dzookeeper.admin.enableServer=false',
    // TTL nodes (persistent-ttl, persistent-sequential-ttl) are refused unless this is on.
    '-Dzookeeper.extendedTypesEnabled=true',
    `-Dznode.container.checkIntervalMs=${CONTAINER_CHECK_INTERVAL_MS}`,
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    ...(settings.juteMaxBuffer ? [`-Djute.maxbuffer=${settings.juteMaxBuffer}`] : []),
    ...settings.jvmOptions,
  ];
}
