import { asapScheduler, Observable } from 'rxjs';
import { errorFromCode } from '../errors/from-code.js';
import { isWatchRemoval } from '../wire/event-types.js';
import type { Watcher, WatchEvent, WireFailure } from '../wire/wire-client.js';
import { endsWithClient, isLostWithTheConnection, type StreamHost, type StreamWire } from './stream-host.js';

/** Returned by a read that saw the node change under it (e.g. created between two requests). */
export const READ_AGAIN: unique symbol = Symbol('read again');

/**
 * One read of one node that also arms a watch: it calls `done` once, with the wire error, the
 * value, or {@link READ_AGAIN}.
 */
export type WatchedRead<T> = (
  wire: StreamWire,
  serverPath: string,
  watcher: Watcher,
  done: (error: WireFailure | null, value?: T | typeof READ_AGAIN) => void,
) => void;

/**
 * The read loop behind `data$`, `children$`, `exists$`, `deleted$` and `childrenData`'s reads:
 * reads the node and arms a one-shot watch; when the watch fires, reads again (re-arming it). It
 * emits every read's value (callers filter out repeats).
 *
 * - One read in flight at a time: a change signalled during a read causes exactly one more read,
 *   so values arrive in the server's order and a burst of changes costs few reads.
 * - A read lost with the connection is repeated when the same session is back (`reconnected`);
 *   watches that were armed survive, because the wire client re-registers them (unless there are
 *   too many to re-register: then every watcher is told so, and reads again).
 * - When the stream ends, its watcher goes from the wire client: nothing of the stream is kept
 *   for a watch that may never fire, however often the stream is subscribed.
 * - A new session (`connected` after `lost`) has no watches: the node is read afresh, so nothing
 *   that changed during the outage is missed.
 * - Completes on `closed`; errors on a final read error (e.g. NoAuth) and on `auth-failed`.
 *
 * @param what The stream's name, for error messages (`'data$'`).
 */
export function watchedNode<T>(
  host: StreamHost,
  path: string,
  what: string,
  read: WatchedRead<T>,
  /** A value a watch event alone tells (e.g. deleted), emitted before the re-read. */
  fromEvent?: (event: WatchEvent) => T | undefined,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const serverPath = host.toServerPath(path);
    let active = true;
    /** Bumped by every new session: replies from older sessions are ignored. */
    let generation = 0;
    let reading = false;
    let readAgain = false;
    /** No read has succeeded since the last one was lost: read when the session is live again. */
    let stale = true;

    // One watcher function for the stream's lifetime: the wire client keeps one entry per
    // function, so re-arming with the same function never piles up listeners.
    const watcher: Watcher = (event) => {
      // A removal is this stream's own doing (it ended, or let go of the watch).
      if (!active || isWatchRemoval(event.type)) return;
      const told = fromEvent?.(event);
      if (told !== undefined) subscriber.next(told);
      // Read again once the rest of the reply the event came in has been handled: a socket write
      // costs tens of µs, and what the events made subscribers do (an emission batched for the
      // end of the reply, e.g. childrenData's) should not wait behind one write per event. (RxJS's
      // asap scheduler is a microtask, and virtual time in a TestScheduler.)
      asapScheduler.schedule(request);
    };

    const request = (): void => {
      if (!active) return;
      if (reading) {
        readAgain = true;
        return;
      }
      const wire = host.live();
      if (!wire) {
        stale = true;
        return;
      }
      reading = true;
      readAgain = false;
      stale = false;
      const readGeneration = generation;
      read(wire, serverPath, watcher, (error, value) => {
        // Ended while the read was out: the wire client has just armed the watcher, take it off.
        if (!active) return host.unwatch(serverPath, watcher);
        if (readGeneration !== generation) return;
        reading = false;
        if (error) {
          if (isLostWithTheConnection(error)) {
            stale = true;
            return;
          }
          active = false;
          subscriber.error(errorFromCode(error.code, path, what, error));
          return;
        }
        if (value === READ_AGAIN) readAgain = true;
        else subscriber.next(value as T);
        if (readAgain) request();
      });
    };

    const states = host.state$.subscribe((state) => {
      if (endsWithClient(state, subscriber)) {
        active = false;
      } else if (state === 'connected') {
        generation++;
        reading = false;
        request();
      } else if (state === 'reconnected' && stale) {
        request();
      }
    });

    return () => {
      active = false;
      states.unsubscribe();
      host.unwatch(serverPath, watcher);
    };
  });
}
