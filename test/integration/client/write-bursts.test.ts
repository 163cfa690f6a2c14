import { describe, expect, it } from 'vitest';
import type { Stat, ZNode } from '../../../src/index.js';
import { nextMatching, record, testClient, testRoot } from '../../helpers/zk.js';

const WRITES = 200;

function expectStrictlyIncreasing(stats: readonly Stat[]): void {
  for (let i = 1; i < stats.length; i++) {
    expect(stats[i]!.mzxid > stats[i - 1]!.mzxid, `emission ${i} is newer than emission ${i - 1}`).toBe(true);
  }
}

describe('bursts of writes', () => {
  it('data$ converges to the last value and emits only newer states, each one really written', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(zk, 'burst-data');
    await zk.create(`${root}/n`, 'v-start');
    const data$ = zk.data$(`${root}/n`);
    const seen = record(data$);
    await nextMatching(data$, (n) => n?.data.toString() === 'v-start', 'the first value');

    // Pipelined: all sent at once on one connection, applied by the server in order.
    await Promise.all(Array.from({ length: WRITES }, (_, i) => writer.set(`${root}/n`, `v${i}`)));
    await nextMatching(data$, (n) => n?.data.toString() === `v${WRITES - 1}`, 'the last value');

    const nodes = seen.values.filter((n): n is ZNode => n !== null);
    expect(nodes).toHaveLength(seen.values.length);
    expectStrictlyIncreasing(nodes.map((n) => n.stat));
    const written = new Set(['v-start', ...Array.from({ length: WRITES }, (_, i) => `v${i}`)]);
    for (const node of nodes) expect(written.has(node.data.toString())).toBe(true);
    // Versions tell which write each emission shows: data and version agree.
    for (const node of nodes.slice(1)) expect(node.data.toString()).toBe(`v${node.stat.version - 1}`);
  });

  it('exists$ converges to the last version with strictly increasing mzxid', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(zk, 'burst-exists');
    const exists$ = zk.exists$(root);
    const seen = record(exists$);
    await nextMatching(exists$, (s) => s !== null, 'the node');
    await Promise.all(Array.from({ length: WRITES }, (_, i) => writer.set(root, `v${i}`)));
    await nextMatching(exists$, (s) => s?.version === WRITES, 'the last version');
    expectStrictlyIncreasing(seen.values.map((s) => s!));
  });

  it('children$ converges through a burst of creates, then a burst of deletes', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(zk, 'burst-children');
    const children$ = zk.children$(root);
    const seen = record(children$);
    await nextMatching(children$, (c) => c !== null, 'the empty list');

    const names = Array.from({ length: 100 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    await Promise.all(names.map((name) => writer.create(`${root}/${name}`)));
    await nextMatching(children$, (c) => c?.length === names.length, 'every child');
    expect(seen.values.at(-1)).toEqual(names);
    // Creates only: each emitted list holds the one before it.
    for (let i = 1; i < seen.values.length; i++) {
      expect(seen.values[i]!.length).toBeGreaterThan(seen.values[i - 1]!.length);
      expect(seen.values[i]).toEqual(expect.arrayContaining([...seen.values[i - 1]!]));
    }

    await Promise.all(names.map((name) => writer.delete(`${root}/${name}`)));
    await nextMatching(children$, (c) => c?.length === 0, 'no children');
    expect(seen.errors).toEqual([]);
  });

  it('tree$ converges to the last data of every node of a subtree written in a burst', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(zk, 'burst-tree');
    const paths = Array.from({ length: 20 }, (_, i) => `${root}/n${i}`);
    await Promise.all(paths.map((p) => writer.create(p, 'v0')));
    const tree$ = zk.tree$(root);
    record(tree$);
    await nextMatching(tree$, (t) => t.size === paths.length + 1, 'the tree');

    await Promise.all(paths.flatMap((p) => Array.from({ length: 10 }, (_, i) => writer.set(p, `v${i + 1}`))));
    const last = await nextMatching(
      tree$,
      (t) => paths.every((p) => t.get(p)?.data.toString() === 'v10'),
      'the last value everywhere',
    );
    for (const p of paths) expect(last.get(p)!.stat.version).toBe(10);
  });
});

describe('bursts of creates, changes and deletes of the same node', () => {
  it('data$, exists$ and children$ converge to what the server holds at the end', async () => {
    const zk = await testClient();
    const writer = await testClient();
    const root = await testRoot(zk, 'burst-mixed');
    const path = `${root}/n`;
    const data$ = zk.data$(path);
    const exists$ = zk.exists$(path);
    const children$ = zk.children$(path);
    const seen = [record(data$), record(exists$), record(children$)];
    await nextMatching(data$, (n) => n === null, 'the node absent');

    const ignore = () => undefined;
    for (let round = 0; round < 5; round++) {
      const steps: Promise<unknown>[] = [];
      for (let i = 0; i < 40; i++) {
        const tag = `${round}.${i}`;
        switch (i % 5) {
          case 0:
            steps.push(writer.create(path, `created ${tag}`).catch(ignore));
            break;
          case 1:
            steps.push(writer.set(path, `set ${tag}`).catch(ignore));
            break;
          case 2:
            steps.push(writer.create(`${path}/c${i % 3}`).catch(ignore));
            break;
          case 3:
            steps.push(writer.delete(`${path}/c${(i + 1) % 3}`).catch(ignore));
            break;
          default:
            if (i % 10 === 4) {
              for (let c = 0; c < 3; c++) steps.push(writer.delete(`${path}/c${c}`).catch(ignore));
              steps.push(writer.delete(path).catch(ignore));
            }
        }
      }
      if (round % 2 === 1) {
        // Odd rounds end with the node gone.
        for (let c = 0; c < 3; c++) steps.push(writer.delete(`${path}/c${c}`).catch(ignore));
        steps.push(writer.delete(path).catch(ignore));
      }
      await Promise.all(steps);
      const final = await zk.exists(path);
      expect(final === null).toBe(round % 2 === 1);
      const finalData = final && (await zk.get(path)).data.toString();
      const finalChildren = final && (await zk.getChildren(path));
      await nextMatching(
        data$,
        (n) => (n?.data.toString() ?? null) === finalData && n?.stat.mzxid === final?.mzxid,
        `data$ round ${round}`,
      );
      await nextMatching(exists$, (s) => s?.mzxid === final?.mzxid && s?.czxid === final?.czxid, `exists$ round ${round}`);
      await nextMatching(children$, (c) => JSON.stringify(c) === JSON.stringify(finalChildren), `children$ round ${round}`);
    }
    for (const s of seen) expect(s.errors).toEqual([]);
    // Never an older state after a newer one.
    const nodes = seen[0]!.values as (ZNode | null)[];
    const present = nodes.filter((n): n is ZNode => n !== null);
    for (let i = 1; i < present.length; i++) {
      const [a, b] = [present[i - 1]!.stat, present[i]!.stat];
      expect(b.czxid > a.czxid || (b.czxid === a.czxid && b.mzxid > a.mzxid)).toBe(true);
    }
  });
});
