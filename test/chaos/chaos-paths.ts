/** The nodes a chaos run works on, all under one root of its own. */
export interface ChaosPaths {
  readonly root: string;
  /** The lock the lockers take turns on. */
  readonly lock: string;
  /** The counter the lockers increment under the lock: JSON `{ value, token, by }`. */
  readonly counter: string;
  readonly election: string;
  readonly services: string;
  /** The node the writer sets to 1, 2, 3... and the watchers follow. */
  readonly data: string;
}

export function chaosPaths(root: string): ChaosPaths {
  return {
    root,
    lock: `${root}/lock`,
    counter: `${root}/counter`,
    election: `${root}/election`,
    services: `${root}/services`,
    data: `${root}/data`,
  };
}

/** What the counter node holds. */
export interface CounterValue {
  readonly value: number;
  /** The fencing token of the holder that wrote it, a decimal bigint; `null` before the first write. */
  readonly token: string | null;
  readonly by: string | null;
}
