import { performance } from 'node:perf_hooks';
import { compareCase } from '../lib/compare-case.js';
import type { BenchContext } from '../lib/context.js';
import { payload } from '../lib/payload.js';
import { createAll, deleteTree } from '../lib/raw.js';
import { CPU, OPS, P50, ratioBar, type Contender, type Scenario } from '../lib/scenario.js';

const DATA = payload(7);

/**
 * 9. `delete(path, { recursive: true })` of a subtree, against the raw client deleting the same
 * subtree pipelined (listed breadth first, then deleted deepest first, 512 requests at a time).
 * Each round builds a fresh subtree (not timed) and deletes it (timed); ops are nodes deleted.
 */
export const recursiveDelete: Scenario = {
  id: 'recursive-delete',
  title: 'Recursive delete: delete({ recursive: true }) vs a pipelined raw delete',
  notes: [
    'A subtree of 20 branches under the root, each with an equal share of leaves; built by the writer before each timed delete.',
    'The cpu figure includes the writer building the subtree, alike for both sides.',
  ],
  async run(ctx) {
    const leaves = ctx.scale(1_000, 4_000);
    return [
      await compareCase(ctx, {
        name: `${leaves + 21} nodes`,
        bars: [ratioBar('ops', '>=', 0.9)],
        metrics: [P50, OPS, CPU],
        rxzk: async () => {
          const zk = await ctx.client();
          return side(ctx, 'rxzk', leaves, (root) => zk.delete(root, { recursive: true }), () => ctx.closeClient(zk));
        },
        raw: async () => {
          const raw = await ctx.rawClient();
          return side(ctx, 'raw', leaves, (root) => deleteTree(raw, root), () => ctx.closeRaw(raw));
        },
      }),
    ];
  },
};

function side(
  ctx: BenchContext,
  name: string,
  leaves: number,
  deleteSubtree: (root: string) => Promise<void>,
  close: () => Promise<void>,
): Contender {
  return {
    async round(round) {
      const root = ctx.path(`rdel-${name}-${round}`);
      const paths = [root];
      for (let b = 0; b < 20; b++) {
        const branch = `${root}/b${b}`;
        paths.push(branch);
        for (let l = 0; l < leaves / 20; l++) paths.push(`${branch}/l${l}`);
      }
      await createAll(ctx.writer, paths, DATA);
      const started = performance.now();
      await deleteSubtree(root);
      const elapsedMs = performance.now() - started;
      return { latenciesMs: [elapsedMs], ops: paths.length, elapsedMs };
    },
    close,
  };
}
