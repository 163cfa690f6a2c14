import type { PositionRule } from './queue-position.js';

/** Told about a child in no known naming scheme; the default is a process warning. */
export type StrangerReport = (message: string) => void;

const reported = new Set<string>();
/** Bounds what is remembered, so a long-lived process with many strangers does not grow forever. */
const REMEMBERED = 10_000;

function warn(message: string): void {
  process.emitWarning(message, 'RxzkWarning');
}

/**
 * Wraps a queue rule so that every child in no known naming scheme (rxzk's, Curator's, kazoo's)
 * is reported, once per queue node and name in this process. Such a child is never silently
 * ignored: a sequential one is counted as a contender in the order of its sequence number (so a
 * lock waits for it, whoever made it), and one without a sequence number, which cannot be placed
 * in the queue, is reported as left out.
 *
 * @param what The recipe, for the message (`lock`, `leadership`...).
 * @param path The queue node.
 */
export function reportingStrangers(rule: PositionRule, what: string, path: string, report: StrangerReport = warn): PositionRule {
  return (children, own) => {
    const position = rule(children, own);
    for (const name of position.strangers ?? []) {
      const key = `${path}/${name}`;
      if (reported.has(key)) continue;
      if (reported.size >= REMEMBERED) reported.delete(reported.values().next().value!);
      reported.add(key);
      const counted = position.queue.some((p) => p.name === name);
      report(
        counted
          ? `${what} ${path}: child ${name} follows no known naming scheme (rxzk, Curator, kazoo); counted as a contender at its sequence number`
          : `${what} ${path}: child ${name} follows no known naming scheme (rxzk, Curator, kazoo) and has no sequence number; it cannot be queued and is left out`,
      );
    }
    return position;
  };
}
