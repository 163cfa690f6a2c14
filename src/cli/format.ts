import type { Stat, ZNode } from '../index.js';

import { statToJson } from '../model/stat-json.js';

export { statToJson, type StatJson } from '../model/stat-json.js';

/**
 * A node's data for JSON output: `{ data: text }` when it is valid UTF-8, else
 * `{ dataBase64: ... }`, so that no byte is lost or mangled.
 */
export function dataToJson(data: Buffer): { data: string } | { dataBase64: string } {
  const text = decodeUtf8(data);
  return text === null ? { dataBase64: data.toString('base64') } : { data: text };
}

export function nodeToJson(node: ZNode): Record<string, unknown> {
  return { path: node.path, ...dataToJson(node.data), stat: statToJson(node.stat) };
}

/** The data as text: UTF-8 when it decodes cleanly, else `base64:...`. */
export function dataText(data: Buffer): string {
  return decodeUtf8(data) ?? `base64:${data.toString('base64')}`;
}

/** A one-line preview of a node's data, quoted, cut at `max` characters. */
export function dataPreview(data: Buffer, max = 60): string {
  const quoted = JSON.stringify(dataText(data));
  return quoted.length <= max ? quoted : `${quoted.slice(0, max - 1)}…`;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(data: Buffer): string | null {
  try {
    return utf8Decoder.decode(data);
  } catch {
    return null;
  }
}

/** `0x1f`, as ZooKeeper's own tools print zxids. */
export function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/** The readable `stat` listing, one `name value` pair a line. */
export function statLines(path: string, stat: Stat): Array<[string, string]> {
  return [
    ['path', path],
    ['czxid', hex(stat.czxid)],
    ['mzxid', hex(stat.mzxid)],
    ['pzxid', hex(stat.pzxid)],
    ['ctime', new Date(stat.ctime).toISOString()],
    ['mtime', new Date(stat.mtime).toISOString()],
    ['version', String(stat.version)],
    ['cversion', String(stat.cversion)],
    ['aversion', String(stat.aversion)],
    ['ephemeralOwner', stat.ephemeralOwner === '0' ? '0x0 (persistent)' : `0x${stat.ephemeralOwner}`],
    ['dataLength', String(stat.dataLength)],
    ['numChildren', String(stat.numChildren)],
  ];
}

/** Local wall-clock time with milliseconds, for event lines. */
export function clockTime(date = new Date()): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** One line of a drawn tree: the glyphs before the name, and the node. */
export interface TreeLine {
  prefix: string;
  name: string;
  node: ZNode;
}

/**
 * Lays out a subtree (as `tree$` gives it) depth first, children in name order, with the
 * box-drawing prefixes of the `tree` command.
 */
export function treeLines(root: string, nodes: ReadonlyMap<string, ZNode>): TreeLine[] {
  const children = new Map<string, string[]>();
  for (const path of nodes.keys()) {
    if (path === root) continue;
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    const list = children.get(parent) ?? [];
    list.push(path);
    children.set(parent, list);
  }
  const lines: TreeLine[] = [];
  const visit = (path: string, prefix: string, childPrefix: string) => {
    const node = nodes.get(path);
    if (!node) return;
    lines.push({ prefix, name: path === root ? path : path.slice(path.lastIndexOf('/') + 1), node });
    const below = (children.get(path) ?? []).sort();
    below.forEach((child, i) => {
      const last = i === below.length - 1;
      visit(child, childPrefix + (last ? '└── ' : '├── '), childPrefix + (last ? '    ' : '│   '));
    });
  };
  visit(root, '', '');
  return lines;
}

/** JSON text with bigints as decimal strings. */
export function toJsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
