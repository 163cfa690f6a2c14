import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as advanced from '../../src/advanced.js';
import * as rxzk from '../../src/index.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** Every name an entry's source exports, values and types, from its `export { ... }` lists. */
function exportedNames(source: string): string[] {
  const names: string[] = [];
  for (const [, body] of source.replace(/\/\/.*$/gm, '').matchAll(/export\s*(?:type\s*)?\{([^}]*)\}/g)) {
    for (const item of body!.split(',')) {
      const name = item.replace(/\btype\s+/, '').trim().split(/\s+as\s+/).at(-1)!;
      if (name) names.push(name);
    }
  }
  return names.sort();
}

/** The backticked names of the README's API section, up to the paragraph on `rxzk/advanced`. */
function listedInReadme(): string[] {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('\n## API\n'), readme.indexOf('`rxzk/advanced` holds'));
  return [...section.matchAll(/`([\w$]+)`/g)].map((m) => m[1]!).filter((n) => n !== 'rxzk').sort();
}

describe('the public surface', () => {
  it("is the README's API section, name for name", () => {
    expect(listedInReadme()).toEqual(exportedNames(read('src/index.ts')));
  });

  it('names each export once, and rxzk/advanced adds building blocks without taking any of the root', () => {
    const root = exportedNames(read('src/index.ts'));
    expect(new Set(root).size).toBe(root.length);
    const values = Object.keys(rxzk);
    expect(Object.keys(advanced).filter((name) => values.includes(name))).toEqual([]);
  });
});
