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

/** Messages the runner sends the dashboard. */
export type ToDashboard = DemoEvent | { type: 'stop' };
