/** What the demo's processes share: where things live in ZooKeeper, and the messages they send. */

/** The znodes of one demo run, all under `root`. */
export function demoPaths(root: string) {
  return {
    root,
    /** Each worker registers here as `<id>`. */
    services: `${root}/services/api`,
    /** Workers stand for leadership here. */
    election: `${root}/election`,
    /** Workers take turns holding this lock. */
    lock: `${root}/locks/jobs`,
    /** A JSON config every worker follows. */
    config: `${root}/config`,
  };
}

export interface DemoConfig {
  rev: number;
  color: string;
  rateLimit: number;
}

/** Something worth a line in the dashboard's event log, from the demo runner or a worker. */
export interface DemoEvent {
  type: 'event';
  /** Who says it: `demo`, `fault`, or a worker's id. */
  source: string;
  text: string;
}

/** A worker's session (sent on each new session), so that every panel names it by instance. */
export interface SessionReport {
  type: 'session';
  /** The worker's id. */
  id: string;
  pid: number;
  /** The session id, hex, as `ephemeralOwner` shows it. */
  session: string;
}

/** A worker process ended (killed, crashed or stopped): its sessions' nodes stay until they expire. */
export interface ProcessExit {
  type: 'exited';
  id: string;
  pid: number;
}

/** Messages a worker sends the runner. */
export type FromWorker = DemoEvent | SessionReport;

/** Messages the runner sends the dashboard. */
export type ToDashboard = DemoEvent | SessionReport | ProcessExit | { type: 'stop' };
