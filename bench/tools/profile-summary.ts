/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`): self time by function and by file, and the
 * total (inclusive) time of the library's functions (under `src/`, or `bench/.build/` where the
 * bench runs the compiled library), so the library's own cost on a hot path can
 * be told from the wire client's and the runtime's.
 *
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/main.ts --quick --only fan-out
 *   npx tsx bench/tools/profile-summary.ts /tmp/prof/<file>.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

function shortUrl(url: string): string {
  const at = url.search(/\/(src|bench|node_modules)\//);
  return at >= 0 ? url.slice(at + 1) : url.replace(/^node:/, 'node:');
}

function key(n: ProfileNode): string {
  return `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
}

const selfByFunction = new Map<string, number>();
const selfByFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  selfByFunction.set(key(n), (selfByFunction.get(key(n)) ?? 0) + us);
  const f = shortUrl(n.callFrame.url) || `(${n.callFrame.functionName})`;
  selfByFile.set(f, (selfByFile.get(f) ?? 0) + us);
}

// Inclusive time of the library's functions: each sample counts once per distinct one on its stack.
const inclusiveSrc = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const n = byId.get(at)!;
    if (!/\/(src|bench\/\.build)\//.test(n.callFrame.url)) continue;
    const k = key(n);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusiveSrc.set(k, (inclusiveSrc.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
});

function print(title: string, map: Map<string, number>): void {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / totalUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  }
}

console.log(`total ${(totalUs / 1000).toFixed(0)} ms sampled`);
print('self time by file', selfByFile);
print('self time by function', selfByFunction);
print("inclusive time of the library's functions", inclusiveSrc);
