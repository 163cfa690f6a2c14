import { Observable, type Subscriber, type Subscription } from 'rxjs';

/**
 * Shares one source per key among every subscriber: the first subscriber starts it, later ones
 * get the latest value at once and every value after, and the last one to leave stops it. An
 * error or completion of the source goes to every subscriber, and the next subscriber starts a
 * fresh source.
 *
 * The returned Observables look their key up at subscription time, so one kept from an earlier
 * round still joins the running source rather than starting a second one.
 *
 * This is RxJS's `share({ connector: () => new ReplaySubject(1) })` with resets, written out:
 * a subscriber costs one entry in a list and one small teardown object, where `share` and a
 * `ReplaySubject` add a closure of their own, a `Subscription` and its closure to each.
 */
export class SharedStreams {
  private readonly running = new Map<string, SharedSource<unknown>>();

  /** The number of keys with a running source. */
  get size(): number {
    return this.running.size;
  }

  get<T>(key: string, create: () => Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let shared = this.running.get(key) as SharedSource<T> | undefined;
      if (shared) {
        shared.add(subscriber);
      } else {
        const started = new SharedSource<T>(() => {
          if (this.running.get(key) === started) this.running.delete(key);
        });
        shared = started;
        this.running.set(key, started);
        // Added before the source starts, so that what it emits at once reaches it.
        started.add(subscriber);
        started.connect(create());
      }
      return new Membership(shared, subscriber);
    });
  }
}

/**
 * The teardown of one subscription to a shared source: an object of two fields. (A closure would
 * keep the whole scope of `get` alive with it, the source factory included.)
 */
class Membership<T> {
  constructor(
    private readonly shared: SharedSource<T>,
    private readonly subscriber: Subscriber<T>,
  ) {}

  unsubscribe(): void {
    this.shared.remove(this.subscriber);
  }
}

/** One running source and its subscribers. */
class SharedSource<T> {
  private subscribers: Subscriber<T>[] = [];
  /** The subscribers an emission goes to, copied once per change of the list, not per value. */
  private current: Subscriber<T>[] | null = null;
  private hasValue = false;
  private value: T | undefined;
  private connection: Subscription | null = null;
  private ended = false;

  /** @param forget Called once, when this source ends (last subscriber gone, error, complete). */
  constructor(private readonly forget: () => void) {}

  add(subscriber: Subscriber<T>): void {
    this.subscribers.push(subscriber);
    this.current = null;
    if (this.hasValue) subscriber.next(this.value as T);
  }

  remove(subscriber: Subscriber<T>): void {
    const index = this.subscribers.indexOf(subscriber);
    if (index < 0) return;
    this.subscribers.splice(index, 1);
    this.current = null;
    if (this.subscribers.length > 0 || this.ended) return;
    this.ended = true;
    this.forget();
    const connection = this.connection;
    this.connection = null;
    connection?.unsubscribe();
  }

  connect(source: Observable<T>): void {
    const connection = source.subscribe({
      next: (value) => {
        this.value = value;
        this.hasValue = true;
        for (const subscriber of (this.current ??= this.subscribers.slice())) subscriber.next(value);
      },
      error: (error: unknown) => this.end((subscriber) => subscriber.error(error)),
      complete: () => this.end((subscriber) => subscriber.complete()),
    });
    // Ended while starting (it completed or failed at once, or its only subscriber left).
    if (this.ended) connection.unsubscribe();
    else this.connection = connection;
  }

  private end(notify: (subscriber: Subscriber<T>) => void): void {
    if (this.ended) return;
    this.ended = true;
    this.forget();
    const subscribers = this.subscribers;
    this.subscribers = [];
    this.current = null;
    for (const subscriber of subscribers) notify(subscriber);
  }
}
