import type { BarResult, CaseResult, MetricResult, ScenarioResult } from './scenario.js';
import type { Spread } from './stats.js';

/** What a run writes to `bench/results/<timestamp>.json`. */
export interface RunReport {
  readonly format: 'rxzk-bench/1';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly settings: {
    quick: boolean;
    ensemble: boolean;
    rounds: number;
    warmUpRounds: number;
    only: readonly string[] | null;
    /** What rxzk was loaded from: the compiled build (default) or the sources through tsx. */
    library: 'build' | 'source';
  };
  readonly machine: { cpus: number; cpuModel: string; memoryBytes: number; platform: string; node: string; loadAverage: readonly number[] };
  readonly server: { source: string; members: number; version: string; warmUpMs: number };
  readonly git: { commit: string; dirty: boolean } | null;
  readonly scenarios: readonly ScenarioResult[];
}

function fmt(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function fmtSpread(s: Spread | null, digits: number): string {
  if (!s || !Number.isFinite(s.median)) return '–';
  return `${fmt(s.median, digits)} [${fmt(s.min, digits)}–${fmt(s.max, digits)}]`;
}

export function describeBar(bar: Pick<BarResult, 'of' | 'op' | 'limit' | 'metric'>): string {
  const op = bar.op === '<=' ? '≤' : '≥';
  return bar.of === 'ratio' ? `ratio ${op} ${bar.limit}` : `rxzk ${op} ${bar.limit}`;
}

function barCell(metric: MetricResult, bars: readonly BarResult[]): string {
  return bars
    .filter((b) => b.metric === metric.key)
    .map((b) => `${describeBar(b)} ${b.met ? 'met' : 'MISSED'}`)
    .join('; ');
}

/** Lays out rows as columns padded to the widest cell. */
function columns(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) => indent + row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd())
    .join('\n');
}

export function caseRows(result: CaseResult): string[][] {
  return result.metrics.map((m, i) => [
    i === 0 ? result.name : '',
    m.label,
    fmtSpread(m.rxzk, m.digits),
    fmtSpread(m.raw, m.digits),
    fmtSpread(m.ratio, 2),
    barCell(m, result.bars),
  ]);
}

/** The table of one scenario, as printed. */
export function formatScenario(index: number, scenario: ScenarioResult): string {
  const head = `${index}. ${scenario.title} [${scenario.id}]`;
  if (scenario.skipped) return `${head}\n  skipped: ${scenario.skipped}`;
  const rounds = [...new Set(scenario.cases.map((c) => c.rounds))].join('/');
  const rows: string[][] = [['case', 'metric', 'rxzk median [min–max]', 'raw median [min–max]', 'rxzk/raw [min–max]', 'bar']];
  for (const c of scenario.cases) rows.push(...caseRows(c));
  const notes = (scenario.notes ?? []).map((n) => `  - ${n}`);
  return [`${head} (${rounds} rounds)`, columns(rows), ...notes].join('\n');
}

/** Every bar of the run, met or missed. */
export function formatBars(report: RunReport): string {
  const rows: string[][] = [];
  for (const s of report.scenarios) {
    for (const c of s.cases) {
      for (const b of c.bars) {
        const metric = c.metrics.find((m) => m.key === b.metric);
        rows.push([
          b.met ? 'met   ' : 'MISSED',
          `${s.id} / ${c.name}`,
          `${metric?.label ?? b.metric} ${describeBar(b)}`,
          `median ${fmt(b.value, b.of === 'ratio' ? 3 : (metric?.digits ?? 3))}`,
        ]);
      }
    }
  }
  return columns(rows);
}

/**
 * Compares this run's rxzk/raw ratios with an earlier run's (absolute figures are not compared:
 * on a shared machine only ratios measured within one run mean anything). A ratio that moved by
 * less than 5%, or stayed inside the earlier run's min–max, is called the same.
 */
export function formatComparison(now: RunReport, then: RunReport, thenName: string): string {
  const rows: string[][] = [['case', 'metric', 'ratio then [min–max]', 'ratio now [min–max]', 'change']];
  for (const s of now.scenarios) {
    const earlierScenario = then.scenarios.find((e) => e.id === s.id);
    for (const c of s.cases) {
      const earlierCase = earlierScenario?.cases.find((e) => e.name === c.name);
      for (const m of c.metrics) {
        const earlier = earlierCase?.metrics.find((e) => e.key === m.key);
        if (!m.ratio || !earlier?.ratio) continue;
        const change = m.ratio.median / earlier.ratio.median - 1;
        const better = m.better === 'lower' ? change < 0 : change > 0;
        // A move inside the earlier run's own round-to-round spread is not told apart from noise.
        const withinSpread = m.ratio.median >= earlier.ratio.min && m.ratio.median <= earlier.ratio.max;
        const verdict = Math.abs(change) < 0.05 || withinSpread ? 'same' : better ? 'better' : 'worse';
        rows.push([
          `${s.id} / ${c.name}`,
          m.label,
          fmtSpread(earlier.ratio, 2),
          fmtSpread(m.ratio, 2),
          `${change >= 0 ? '+' : ''}${fmt(change * 100, 1)}% ${verdict}`,
        ]);
      }
    }
  }
  const thenLibrary = then.settings.library ?? 'source';
  const caveat =
    thenLibrary === now.settings.library ? '' : `\n  note: that run measured rxzk from ${thenLibrary === 'build' ? 'the build' : 'src/ through tsx'}, this one from ${now.settings.library === 'build' ? 'the build' : 'src/ through tsx'}`;
  const header = `Compared with ${thenName} (${then.startedAt}, ${then.settings.quick ? 'quick' : 'full'}, commit ${then.git?.commit.slice(0, 10) ?? '?'})${caveat}`;
  return rows.length === 1 ? `${header}: no case in common.` : `${header}\n${columns(rows)}`;
}
