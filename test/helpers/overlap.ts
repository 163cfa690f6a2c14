/**
 * Records who holds a shared resource, and every moment the recipe let in someone it should
 * not have. Holders report themselves after they acquired and before they release, so any
 * overlap seen here is an overlap the recipe allowed.
 */
export class OverlapDetector<K extends string = string> {
  readonly violations: string[] = [];
  /** The most holders at once, per kind. */
  readonly most = new Map<K, number>();
  /** Every acquisition, in order. */
  readonly order: string[] = [];
  private readonly holders = new Map<string, K>();

  /**
   * @param conflict Why `kind` may not join `holders` (a message), or `null` if it may.
   */
  constructor(private readonly conflict: (kind: K, holders: ReadonlyMap<string, K>) => string | null) {}

  enter(who: string, kind: K): void {
    if (this.holders.has(who)) return;
    const why = this.conflict(kind, this.holders);
    if (why) this.violations.push(`${who} (${kind}) acquired while ${[...this.holders.keys()].join(', ')} held: ${why}`);
    this.holders.set(who, kind);
    this.order.push(who);
    const count = [...this.holders.values()].filter((k) => k === kind).length;
    this.most.set(kind, Math.max(this.most.get(kind) ?? 0, count));
  }

  leave(who: string): void {
    this.holders.delete(who);
  }

  /** Follows a participant's lock or lease states: `acquired` enters, anything else leaves. */
  follow<S extends { readonly state: string }>(who: string, kind: K): { next: (s: S) => void; complete: () => void; error: () => void } {
    return {
      next: (s) => (s.state === 'acquired' ? this.enter(who, kind) : this.leave(who)),
      complete: () => this.leave(who),
      error: () => this.leave(who),
    };
  }

  get size(): number {
    return this.holders.size;
  }
}

/** Readers together, or one writer alone. */
export function readWriteDetector(): OverlapDetector<'read' | 'write'> {
  return new OverlapDetector<'read' | 'write'>((kind, holders) => {
    if (kind === 'write' && holders.size > 0) return 'a writer must hold alone';
    if (kind === 'read' && [...holders.values()].includes('write')) return 'a reader may not hold with a writer';
    return null;
  });
}

/** At most `permits` holders. */
export function permitDetector(permits: number): OverlapDetector<'lease'> {
  return new OverlapDetector<'lease'>((_kind, holders) =>
    holders.size >= permits ? `more than ${permits} holders` : null,
  );
}
