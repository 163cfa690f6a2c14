/**
 * Watches many candidates at once and records any moment at which two of them believed they led.
 * All candidates live in this one process, so their emissions form a single timeline.
 */
export class LeaderTracker {
  private readonly leaders = new Set<string>();
  readonly violations: string[][] = [];
  /** Every change, in order: `+id` when `id` starts leading, `-id` when it stops. */
  readonly timeline: string[] = [];

  update(id: string, isLeader: boolean): void {
    const was = this.leaders.has(id);
    if (isLeader === was) return;
    if (isLeader) this.leaders.add(id);
    else this.leaders.delete(id);
    this.timeline.push(`${isLeader ? '+' : '-'}${id}`);
    if (this.leaders.size > 1) this.violations.push([...this.leaders]);
  }

  get current(): string[] {
    return [...this.leaders];
  }
}
