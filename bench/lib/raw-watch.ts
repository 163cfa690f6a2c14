import type { RawClient, RawStat } from '../../src/wire/nzc/raw-client.js';

/**
 * The raw client doing by hand what `data$` does: read with a watch; when the watch fires, read
 * again (re-arming it). One watcher function for the loop's life, one read in flight at a time,
 * like rxzk. Returns a function that stops the loop (the armed watch stays on the server).
 */
export function rawWatchData(
  raw: RawClient,
  path: string,
  onData: (data: Buffer | null | undefined, stat: RawStat | undefined) => void,
  onError: (error: Error) => void = (error) => console.error(`raw getData ${path}: ${error.message}`),
): () => void {
  let active = true;
  let reading = false;
  let again = false;
  const read = (): void => {
    if (!active) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    raw.getData(path, watcher, (error, data, stat) => {
      reading = false;
      if (!active) return;
      if (error) return onError(error);
      onData(data, stat);
      if (again) {
        again = false;
        read();
      }
    });
  };
  const watcher = (): void => read();
  read();
  return () => {
    active = false;
  };
}

/** The raw client doing by hand what `children$` does: getChildren with a watch, re-armed on every change. */
export function rawWatchChildren(
  raw: RawClient,
  path: string,
  onChildren: (names: readonly string[]) => void,
  onError: (error: Error) => void = (error) => console.error(`raw getChildren ${path}: ${error.message}`),
): () => void {
  let active = true;
  let reading = false;
  let again = false;
  const read = (): void => {
    if (!active) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    raw.getChildren(path, watcher, (error, names) => {
      reading = false;
      if (!active) return;
      if (error) return onError(error);
      onChildren(names ?? []);
      if (again) {
        again = false;
        read();
      }
    });
  };
  const watcher = (): void => read();
  read();
  return () => {
    active = false;
  };
}
