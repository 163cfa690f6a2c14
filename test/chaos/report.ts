/**
 * A run's report: what it injected, what the participants got done, how fast before, during and
 * after the faults, how long the election went without a leader, and every violation with the log
 * lines that show it. As text for people, and as JSON for tools (and the CI test).
 */
import type { CheckResult } from './checker.js';
import type { Violation } from './violation.js';

/** How many violations of one check are shown in full (the rest are counted). */
const SHOWN_PER_CHECK = 5;

export interface RunSummary {
  readonly seed: number;
  readonly durationMs: number;
  readonly external: boolean;
  readonly outDir: string;
}

export interface ReportJson extends RunSummary {
  readonly stats: Omit<CheckResult['stats'], 'leaderless'> & { leaderless: Omit<CheckResult['stats']['leaderless'], 'gaps'> };
  readonly safety: readonly ViolationJson[];
  readonly liveness: readonly ViolationJson[];
}

export interface ViolationJson {
  readonly check: string;
  readonly message: string;
  /** `file:line  text` of each line that shows it. */
  readonly lines: readonly string[];
}

export function reportJson(result: CheckResult, summary: RunSummary): ReportJson {
  const { gaps: _gaps, ...leaderless } = result.stats.leaderless;
  const toJson = (v: Violation): ViolationJson => ({ check: v.check, message: v.message, lines: v.lines.map(quote) });
  return {
    ...summary,
    stats: { ...result.stats, leaderless },
    safety: result.violations.filter((v) => v.kind === 'safety').map(toJson),
    liveness: result.violations.filter((v) => v.kind === 'liveness').map(toJson),
  };
}

export function formatReport(result: CheckResult, summary: RunSummary): string {
  const { stats, facts } = result;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rates = (of: 'sectionsPerS' | 'writesPerS') =>
    `${stats.throughput.before[of].toFixed(1)} before, ${stats.throughput.during[of].toFixed(1)} during, ` +
    `${stats.throughput.after[of].toFixed(1)} after the faults`;
  const { faults, operations: ops, leaderless, excused } = stats;
  const where = summary.external ? 'your ensemble (no member killed)' : 'a 3-member ensemble of its own';
  const lines = [
    `rxzk chaos run, seed ${summary.seed}: ${s(stats.durationMs)}, faults from ${s(facts.faultsStart - facts.start)} ` +
      `to ${s(facts.faultsEnd - facts.start)}, session timeout ${s(facts.sessionTimeoutMs)}, ${where}`,
    `faults:      ${faults['kill-member']} member kills (${stats.leaderKills} of the leader), ` +
      `${faults.blackhole} blackholes past the session timeout, ${faults['cut-connection']} connections cut for a moment, ` +
      `${faults['expire-session']} session expiries, ${faults['restart-registrant']} registrant restarts`,
    `operations:  ${ops.criticalSections} critical sections (${ops.sectionsLost} cut short), counter increments ` +
      `${ops.increments.ok} acknowledged / ${ops.increments.unknown} unanswered / ${ops.increments.conflict} refused / ` +
      `${ops.increments.failed} failed; ${ops.dataWrites.ok} data writes (${ops.dataWrites.unknown} unanswered), ` +
      `${ops.valuesSeen} values seen; ${ops.leaderTerms} leader terms; ${ops.registrations} registrations, ` +
      `${ops.discoverViews} discover views; ${ops.sessionsLost} sessions lost`,
    `throughput:  critical sections/s ${rates('sectionsPerS')}; data writes/s ${rates('writesPerS')}`,
    `leaderless:  ${leaderless.count} gaps, ${s(leaderless.totalMs)} in all, longest ${s(leaderless.longestMs)}, ` +
      `${s(leaderless.afterFaultsMs)} after the faults stopped`,
  ];
  if (excused.lockOverlaps + excused.leaderOverlaps > 0) {
    lines.push(
      `excused:     ${excused.lockOverlaps} lock and ${excused.leaderOverlaps} leader overlaps (longest ` +
        `${excused.longestMs.toFixed(1)} ms) while a session was being expired from outside, before its holder could be told`,
    );
  }
  for (const kind of ['safety', 'liveness'] as const) {
    const found = result.violations.filter((v) => v.kind === kind);
    const byCheck = new Map<string, Violation[]>();
    for (const v of found) byCheck.set(v.check, [...(byCheck.get(v.check) ?? []), v]);
    const counts = [...byCheck].map(([check, list]) => `${list.length} ${check}`).join(', ');
    lines.push(`${kind.padEnd(12)} ${found.length === 0 ? 'no violation' : `${found.length} violation(s): ${counts}`}`);
    for (const [check, list] of byCheck) {
      for (const v of list.slice(0, SHOWN_PER_CHECK)) {
        lines.push(`  [${kind}] ${check}: ${v.message}`);
        for (const line of v.lines) lines.push(`      ${quote(line)}`);
      }
      if (list.length > SHOWN_PER_CHECK) lines.push(`  ... and ${list.length - SHOWN_PER_CHECK} more ${check} (report.json has them all)`);
    }
  }
  lines.push(`logs:        ${summary.outDir}`);
  return lines.join('\n');
}

function quote(line: { src?: { file: string; line: number; text: string } }): string {
  return line.src ? `${line.src.file}:${line.src.line}  ${line.src.text}` : JSON.stringify(line);
}
