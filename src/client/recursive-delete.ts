import { NoNodeError, NotEmptyError } from '../errors/zk-error.js';
import { joinPath } from '../paths/paths.js';

/** What a recursive delete needs from its client. */
export interface RecursiveDeleteHost {
  getChildren(path: string): Promise<string[]>;
  /** Deletes one node (at `version`, -1 for any). */
  deleteOne(path: string, version: number): Promise<void>;
}

/** Requests in flight at once while listing or deleting a subtree. */
export const RECURSIVE_IN_FLIGHT = 256;

/** How many times the subtree is listed again when children were added while it was deleted. */
const ROUNDS = 5;

/**
 * Deletes `path` and everything below it: lists the subtree breadth first, then deletes it
 * deepest first, then `path` itself (at `version`).
 *
 * The requests are pipelined, up to {@link RECURSIVE_IN_FLIGHT} at a time, in an order that keeps
 * children before their parents: the server handles a session's requests in the order they were
 * sent, so a parent's delete, sent after all of its children's, is handled after them. Nodes that
 * are already gone are fine. Children created meanwhile make a delete fail with NotEmptyError;
 * the subtree is then listed and deleted again, a few rounds at most.
 */
export async function deleteRecursive(host: RecursiveDeleteHost, path: string, version: number): Promise<void> {
  for (let round = 1; ; round++) {
    const below = await subtree(host, path);
    below.reverse(); // deepest level first
    await inOrder(below, (node) =>
      host.deleteOne(node, -1).catch((error: unknown) => {
        // Gone already is fine; a node given children meanwhile is left to the next round.
        if (!(error instanceof NoNodeError) && !(error instanceof NotEmptyError)) throw error;
      }),
    );
    try {
      return await host.deleteOne(path, version);
    } catch (error) {
      if (!(error instanceof NotEmptyError) || round >= ROUNDS) throw error;
    }
  }
}

/** Every node strictly below `path`, breadth first. */
async function subtree(host: RecursiveDeleteHost, path: string): Promise<string[]> {
  const result: string[] = [];
  let level = [path];
  while (level.length > 0) {
    const next: string[] = [];
    await inOrder(level, (parent) =>
      host.getChildren(parent).then(
        (names) => {
          for (const name of names) next.push(joinPath(parent, name));
        },
        (error: unknown) => {
          if (!(error instanceof NoNodeError)) throw error;
        },
      ),
    );
    result.push(...next);
    level = next;
  }
  return result;
}

/**
 * Calls `run` for each item in order, with up to {@link RECURSIVE_IN_FLIGHT} calls pending at
 * once, and resolves when all have settled; rejects with the first failure (after the calls
 * already made have settled, and without starting more).
 */
async function inOrder<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (next < items.length && failure === null) {
      const item = items[next++]!;
      await run(item).catch((error: unknown) => {
        failure ??= { error };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(RECURSIVE_IN_FLIGHT, items.length) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}
