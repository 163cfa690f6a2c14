import type { BenchContext } from './context.js';
import {
  LATENCY_METRICS,
  type Bar,
  type BarResult,
  type CaseResult,
  type CaseSpec,
  type Contender,
  type MetricResult,
  type MetricSpec,
  type Sample,
} from './scenario.js';
import { quantile, spread } from './stats.js';

/**
 * Runs a case: opens both contenders, then alternates them round by round (rxzk first in even
 * rounds, raw first in odd ones) so that drift on a shared machine hits both alike, and
 * summarizes. Warm-up rounds (negative round numbers) come first and are not recorded. Both
 * contenders are closed however the rounds end.
 */
export async function compareCase(ctx: BenchContext, spec: CaseSpec): Promise<CaseResult> {
  const rounds = spec.rounds ?? ctx.rounds;
  const rxzkSamples: Sample[] = [];
  const rawSamples: Sample[] = [];
  ctx.progress(spec.name);
  let rxzk: Contender | null = null;
  let raw: Contender | null = null;
  try {
    rxzk = await spec.rxzk();
    raw = await spec.raw();
    const warmUpRounds = spec.warmUpRounds ?? ctx.warmUpRounds;
    for (let round = -warmUpRounds; round < 0; round++) {
      ctx.checkInterrupted();
      await rxzk.round(round);
      await raw.round(round);
    }
    for (let round = 0; round < rounds; round++) {
      ctx.checkInterrupted();
      if (round % 2 === 0) {
        rxzkSamples.push(await withCpu(rxzk, round));
        rawSamples.push(await withCpu(raw, round));
      } else {
        rawSamples.push(await withCpu(raw, round));
        rxzkSamples.push(await withCpu(rxzk, round));
      }
    }
  } finally {
    await Promise.allSettled([rxzk?.close(), raw?.close()]);
  }
  return summarize(spec.name, rxzkSamples, rawSamples, spec.metrics ?? LATENCY_METRICS, spec.bars ?? []);
}

/**
 * Runs a round and adds the CPU time this process spent in it per operation (`cpu`, µs): far
 * steadier than wall-clock figures on a shared machine, and it counts what the client costs
 * whether or not the server is the bottleneck. The harness and the writer are in it for both
 * contenders alike.
 */
async function withCpu(contender: Contender, round: number): Promise<Sample> {
  const before = process.cpuUsage();
  const sample = await contender.round(round);
  const used = process.cpuUsage(before);
  if (!sample.ops) return sample;
  return { ...sample, figures: { ...sample.figures, cpu: (used.user + used.system) / sample.ops } };
}

/** The value of one metric in one sample: p50/p99 of its latencies, ops/s, or a named figure. */
export function metricOf(sample: Sample, key: string): number {
  switch (key) {
    case 'p50':
      return quantile(sample.latenciesMs ?? [], 0.5);
    case 'p99':
      return quantile(sample.latenciesMs ?? [], 0.99);
    case 'max':
      return sample.latenciesMs && sample.latenciesMs.length > 0 ? Math.max(...sample.latenciesMs) : Number.NaN;
    case 'ops':
      return sample.ops !== undefined && sample.elapsedMs ? (sample.ops * 1000) / sample.elapsedMs : Number.NaN;
    default:
      return sample.figures?.[key] ?? Number.NaN;
  }
}

/**
 * Median, min and max over the rounds of each metric for each side, and of the rxzk/raw ratio
 * taken round by round (both sides of a round ran back to back on the same server).
 * `raw` may be empty for figures that have no raw counterpart.
 */
export function summarize(
  name: string,
  rxzk: readonly Sample[],
  raw: readonly Sample[],
  metrics: readonly MetricSpec[],
  bars: readonly Bar[],
): CaseResult {
  const results: MetricResult[] = metrics.map((m) => {
    const mine = rxzk.map((s) => metricOf(s, m.key));
    const theirs = raw.map((s) => metricOf(s, m.key));
    const hasRaw = theirs.some((v) => Number.isFinite(v));
    const ratios = mine.map((v, i) => v / (theirs[i] ?? Number.NaN));
    return {
      key: m.key,
      label: m.label,
      better: m.better,
      digits: m.digits ?? 3,
      rxzk: spread(mine),
      raw: hasRaw ? spread(theirs) : null,
      ratio: hasRaw ? spread(ratios) : null,
      perRound: { rxzk: mine, raw: hasRaw ? theirs : [] },
    };
  });
  const barResults: BarResult[] = bars.map((bar) => {
    const metric = results.find((r) => r.key === bar.metric);
    const value = (bar.of === 'ratio' ? metric?.ratio?.median : metric?.rxzk.median) ?? Number.NaN;
    const met = bar.op === '<=' ? value <= bar.limit : value >= bar.limit;
    return { ...bar, value, met };
  });
  return { name, rounds: rxzk.length, metrics: results, bars: barResults };
}
