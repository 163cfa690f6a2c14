/** What is read of a node: its data, or its child names. */
export type Aspect = 'data' | 'children';

/**
 * Makes one read. Once its reply is in, the reply is applied unless the read is `stale` (made
 * before a {@link ReadPump.reset}), and `done` is called: `lost` if the read was lost with the
 * connection (to repeat when the same session is back). A read that failed for good calls
 * nothing: the stream ends.
 */
export type PumpedRead = (aspect: Aspect, path: string, reply: ReadReply) => void;

/** How a {@link PumpedRead} reports. */
export interface ReadReply {
  /** The read was made before the pump was reset (an earlier session): its reply means nothing. */
  readonly stale: boolean;
  done(lost: boolean): void;
}

/** One read requested: started when a slot is free. */
interface Read {
  readonly aspect: Aspect;
  readonly path: string;
  readonly generation: number;
}

/** One set of paths per aspect. */
class PathSets {
  readonly data = new Set<string>();
  readonly children = new Set<string>();

  get size(): number {
    return this.data.size + this.children.size;
  }

  clear(): void {
    this.data.clear();
    this.children.clear();
  }
}

/**
 * The reads of `tree$`, bounded and coalesced:
 *
 * - at most `concurrency` reads in flight, the rest queued in request order, so loading a large
 *   tree does not flood the server;
 * - at most one read per node and aspect in flight: one requested meanwhile is made once, after it
 *   (a burst of watch events costs at most one more read);
 * - reads lost with the connection are kept, and repeated by {@link repeatLost};
 * - {@link reset} (a new session) forgets everything: replies to earlier reads are ignored.
 */
export class ReadPump {
  private readonly queue: Read[] = [];
  private running = 0;
  /** Reads queued or in flight. */
  private outstanding = 0;
  private generation = 0;
  private readonly inFlight = new PathSets();
  private readonly again = new PathSets();
  private readonly lost = new PathSets();

  constructor(
    private readonly concurrency: number,
    private readonly read: PumpedRead,
    /** Called after every read that finished, once the next ones are started. */
    private readonly finished: () => void,
  ) {}

  /** Reads queued, in flight, or lost and not yet repeated: while there are any, the tree is not known whole. */
  get pending(): number {
    return this.outstanding + this.lost.size;
  }

  /** Reads one aspect of one node (once more after the one in flight, if there is one). */
  request(aspect: Aspect, path: string): void {
    if (this.inFlight[aspect].has(path)) {
      this.again[aspect].add(path);
      return;
    }
    this.inFlight[aspect].add(path);
    this.outstanding++;
    this.queue.push({ aspect, path, generation: this.generation });
    this.pump();
  }

  /** Repeats the reads lost with the connection: the same session is back. */
  repeatLost(): void {
    for (const aspect of ['data', 'children'] as const) {
      const paths = [...this.lost[aspect]];
      this.lost[aspect].clear();
      for (const path of paths) this.request(aspect, path);
    }
  }

  /** Forgets every read: a new session. */
  reset(): void {
    this.generation++;
    this.queue.length = 0;
    this.running = 0;
    this.outstanding = 0;
    this.inFlight.clear();
    this.again.clear();
    this.lost.clear();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      this.running++;
      this.start(this.queue.shift()!);
    }
  }

  private start(read: Read): void {
    const pump = this;
    this.read(read.aspect, read.path, {
      get stale() {
        return read.generation !== pump.generation;
      },
      done: (lost) => this.done(read, lost),
    });
  }

  private done({ aspect, path, generation }: Read, lost: boolean): void {
    if (generation !== this.generation) return;
    this.inFlight[aspect].delete(path);
    if (lost) this.lost[aspect].add(path);
    this.running--;
    this.outstanding--;
    this.pump();
    this.finished();
    if (this.again[aspect].delete(path)) this.request(aspect, path);
  }
}
