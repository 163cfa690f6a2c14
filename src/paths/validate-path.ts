import { InvalidPathError } from '../errors/zk-error.js';

/**
 * Checks that `path` is a valid absolute ZooKeeper path and returns it; throws
 * {@link InvalidPathError} naming the path, what is wrong and at which index otherwise.
 *
 * The rules are ZooKeeper's own (`PathUtils.validatePath`): it starts with `/`; it does not end
 * with `/` (except the root); no segment is empty, `.` or `..`; no character is a control
 * character (U+0000 to U+001F, U+007F to U+009F) or in the ranges ZooKeeper refuses
 * (U+D800 to U+F8FF, U+FFF0 to U+FFFF).
 *
 * @param path The path to check.
 * @param what What the path is for, used in messages (e.g. `'data$'`).
 */
export function validatePath(path: unknown, what = 'path'): string {
  if (typeof path !== 'string') {
    throw new InvalidPathError(`${what}: expected a string path, got ${describe(path)}`, String(path), 0);
  }
  const fail = (reason: string, at: number): never => {
    throw new InvalidPathError(`${what}: invalid path ${JSON.stringify(path)}: ${reason} at index ${at}`, path, at);
  };
  if (path.length === 0) fail('path is empty', 0);
  if (path[0] !== '/') fail('path must start with /', 0);
  if (path.length === 1) return path;
  if (path[path.length - 1] === '/') fail('path must not end with /', path.length - 1);
  let segmentStart = 1;
  for (let i = 1; i <= path.length; i++) {
    const c = i < path.length ? path.charCodeAt(i) : 0x2f;
    if (c === 0x2f) {
      const segment = path.slice(segmentStart, i);
      if (segment.length === 0) fail('empty node name', i);
      if (segment === '.' || segment === '..') fail(`relative segment "${segment}"`, segmentStart);
      segmentStart = i + 1;
    } else if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) {
      fail(`control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`, i);
    } else if ((c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) {
      fail(`character U+${c.toString(16).toUpperCase().padStart(4, '0')} is not allowed`, i);
    }
  }
  return path;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value;
}
