import type { ZNode } from '../../model/stat.js';

/**
 * Wraps a report of bad node data so that each version of a node is reported at most once: a
 * stream that emits the same bad version again (another child changed) stays quiet about it, and
 * a new version that is bad too is reported again.
 */
export function oncePerVersion<E>(report: (error: E) => void): (node: ZNode, error: E) => void {
  const reported = new Set<string>();
  return (node, error) => {
    const version = `${node.path}@${node.stat.czxid}:${node.stat.mzxid}`;
    if (reported.has(version)) return;
    reported.add(version);
    report(error);
  };
}
