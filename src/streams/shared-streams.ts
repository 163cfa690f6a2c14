import { Observable, ReplaySubject, finalize, share } from 'rxjs';

/**
 * Shares one source per key among every subscriber: the first subscriber starts it, later ones
 * get the latest value at once and every value after, and the last one to leave stops it.
 *
 * The returned Observables look their key up at subscription time, so one kept from an earlier
 * round still joins the running source rather than starting a second one.
 */
export class SharedStreams {
  private readonly running = new Map<string, Observable<unknown>>();

  /** The number of keys with a running source. */
  get size(): number {
    return this.running.size;
  }

  get<T>(key: string, create: () => Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let shared = this.running.get(key) as Observable<T> | undefined;
      if (!shared) {
        const started: Observable<T> = create().pipe(
          // Runs when the source ends (last subscriber gone, completed or errored); the next
          // subscriber then starts a fresh one.
          finalize(() => {
            if (this.running.get(key) === started) this.running.delete(key);
          }),
          share({
            connector: () => new ReplaySubject<T>(1),
            resetOnError: true,
            resetOnComplete: true,
            resetOnRefCountZero: true,
          }),
        );
        shared = started;
        this.running.set(key, shared);
      }
      return shared.subscribe(subscriber);
    });
  }
}
