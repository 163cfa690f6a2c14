import { defer, map, type OperatorFunction } from 'rxjs';
import type { ZNode } from '../../model/stat.js';
import type { DataDecodeError } from '../../operators/codecs.js';
import { oncePerVersion } from './once-per-version.js';

/**
 * Decodes child nodes (keyed by child name, as `childrenData` gives them) into entries sorted by
 * id. A node that `decode` rejects is reported to `onInvalid` (once per version of the node) and
 * left out; the stream goes on.
 *
 * @param decode Reads one child; throws (a DataDecodeError naming the path) to reject it.
 */
export function decodedChildren<T extends { readonly id: string }>(
  decode: (name: string, node: ZNode) => T,
  onInvalid: (error: DataDecodeError) => void,
): OperatorFunction<ReadonlyMap<string, ZNode>, T[]> {
  return (source) =>
    defer(() => {
      const report = oncePerVersion(onInvalid);
      return source.pipe(
        map((nodes) => {
          const entries: T[] = [];
          for (const [name, node] of nodes) {
            try {
              entries.push(decode(name, node));
            } catch (error) {
              report(node, error as DataDecodeError);
            }
          }
          return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        }),
      );
    });
}
