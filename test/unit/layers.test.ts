import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The layers of src/ (README, "Development"): each folder imports only from the layers it may
 * stand on, and no files import each other in a circle. Type-only imports count: a type that
 * points up a layer ties the layers as much as a value does.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Each layer, and the layers its files may import from (besides their own). */
const LAYERS: Record<string, readonly string[]> = {
  // The ground: errors, paths and the administration tools (four-letter words, connect strings).
  ground: [],
  model: ['ground'],
  wire: ['ground', 'model'],
  operators: ['ground', 'model'],
  session: ['ground', 'model', 'wire'],
  streams: ['ground', 'model', 'wire', 'operators'],
  client: ['ground', 'model', 'wire', 'operators', 'session', 'streams'],
  recipes: ['ground', 'model', 'operators', 'client'],
  handles: ['ground', 'model', 'operators', 'client', 'recipes'],
  testing: ['ground', 'model', 'session', 'client'],
  cli: ['ground', 'model', 'operators', 'client', 'recipes', 'handles', 'entry'],
  entry: ['ground', 'model', 'wire', 'operators', 'session', 'streams', 'client', 'recipes', 'handles'],
};

function layerOf(file: string): string {
  const top = file.split('/')[0]!;
  if (top === 'errors' || top === 'paths' || top === 'admin') return 'ground';
  if (top === 'index.ts' || top === 'advanced.ts') return 'entry';
  if (!(top in LAYERS)) throw new Error(`${file}: in no layer; add its folder to LAYERS`);
  return top;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

/** Every file of src/ with the files of src/ it imports (relative imports, `import type` included). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(join(SRC, file), 'utf8');
    const targets = new Set<string>();
    for (const match of text.matchAll(/^(?:import|export)\b[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
      targets.add(relative(SRC, resolve(SRC, dirname(file), match[1]!.replace(/\.js$/, '.ts'))));
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

/** The circles of the graph: its strongly connected components of more than one file (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the layers of src/', () => {
  const graph = importGraph();

  it('every import points down a layer, or stays in its own', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      for (const target of targets) {
        const to = layerOf(target);
        if (to !== from && !LAYERS[from]!.includes(to)) upward.push(`${file} (${from}) imports ${target} (${to})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('node-zookeeper-client is reached through src/wire/nzc only', () => {
    const users = [...graph].filter(([file, targets]) => !file.startsWith('wire/nzc/') && targets.some((t) => t.startsWith('wire/nzc/')));
    expect(users.map(([file]) => file)).toEqual(['client/wire-factory.ts']);
    const requiring = sourceFiles(SRC).filter((file) => /(require\(|from\s+)'node-zookeeper-client'/.test(readFileSync(join(SRC, file), 'utf8')));
    expect(requiring).toEqual(['wire/nzc/raw-client.ts']);
  });

  it('no files import each other in a circle', () => {
    expect(circles(graph).map((c) => c.join(' '))).toEqual([]);
  });
});
