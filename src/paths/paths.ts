/** Joins a parent path and a child name: `joinPath('/', 'a')` is `/a`, `joinPath('/a', 'b')` is `/a/b`. */
export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** The parent of a path (`/` for top-level nodes and for the root itself). */
export function parentPath(path: string): string {
  const at = path.lastIndexOf('/');
  return at <= 0 ? '/' : path.slice(0, at);
}

/** The last segment of a path (`''` for the root). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}


/** Every proper ancestor of `path` except the root, outermost first: `/a/b/c` gives `/a`, `/a/b`. */
export function ancestorsOf(path: string): string[] {
  const result: string[] = [];
  for (let at = path.indexOf('/', 1); at > 0; at = path.indexOf('/', at + 1)) {
    result.push(path.slice(0, at));
  }
  return result;
}
