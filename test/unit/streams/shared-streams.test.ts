import { describe, expect, it } from 'vitest';
import { defer, Observable, of, Subject, take } from 'rxjs';
import { SharedStreams } from '../../../src/streams/shared-streams.js';
import { marbles } from '../../helpers/marbles.js';

describe('SharedStreams', () => {
  it(
    'runs one source per key for every subscriber, replays the latest value, and stops with the last one',
    marbles((m) => {
      const streams = new SharedStreams();
      const source = m.cold('a-b-c-d-e-f-');
      const shared = () => streams.get('k', () => source);
      m.expect(shared(), '^------!').toBeObservable('a-b-c-d');
      // A late subscriber gets the latest value at once, then the same source's values.
      m.expect(shared(), '---^------!').toBeObservable('---bc-d-e-');
      m.expect(source).toHaveSubscriptions('^---------!');
    }),
  );

  it(
    'starts a fresh source for a subscriber that comes after the last one left',
    marbles((m) => {
      const streams = new SharedStreams();
      const source = m.cold('a-b-c-');
      m.expect(streams.get('k', () => source), '^--!').toBeObservable('a-b');
      m.expect(streams.get('k', () => source), '-----^---!').toBeObservable('-----a-b-');
      m.expect(source).toHaveSubscriptions(['^--!', '-----^---!']);
    }),
  );

  it(
    'keeps keys apart',
    marbles((m) => {
      const streams = new SharedStreams();
      const one = m.cold('a-a-|');
      const two = m.cold('-b-b|');
      m.expect(streams.get('one', () => one)).toBeObservable('a-a-|');
      m.expect(streams.get('two', () => two)).toBeObservable('-b-b|');
      m.expect(one).toHaveSubscriptions('^---!');
      m.expect(two).toHaveSubscriptions('^---!');
    }),
  );

  it(
    'passes an error to every subscriber and starts afresh for the next',
    marbles((m) => {
      const streams = new SharedStreams();
      const source = m.cold('a-#');
      m.expect(streams.get('k', () => source)).toBeObservable('a-#');
      m.expect(streams.get('k', () => source), '-^').toBeObservable('-a#');
      m.expect(streams.get('k', () => source), '----^').toBeObservable('----a-#');
      m.expect(source).toHaveSubscriptions(['^-!', '----^-!']);
    }),
  );

  it('calls the factory once per running source and forgets the key when the last subscriber leaves', () => {
    const streams = new SharedStreams();
    let created = 0;
    const counted = () => {
      created++;
      return defer(() => new Promise<string>(() => undefined)); // never emits, never ends
    };
    const first = streams.get('k', counted).subscribe();
    const second = streams.get('k', counted).subscribe();
    expect(created).toBe(1);
    expect(streams.size).toBe(1);
    first.unsubscribe();
    expect(streams.size).toBe(1);
    second.unsubscribe();
    expect(streams.size).toBe(0);
    streams.get('k', counted).subscribe().unsubscribe();
    expect(created).toBe(2);
    expect(streams.size).toBe(0);
  });

  it('gives a value once to a subscriber that joins while it is being delivered', () => {
    const streams = new SharedStreams();
    const source = new Subject<string>();
    const late: string[] = [];
    const early: string[] = [];
    streams.get('k', () => source).subscribe((v) => {
      early.push(v);
      if (v === 'a') streams.get('k', () => source).subscribe((w) => late.push(w));
    });
    source.next('a');
    source.next('b');
    expect(early).toEqual(['a', 'b']);
    expect(late).toEqual(['a', 'b']);
  });

  it('stops delivering to a subscriber that leaves while a value is being delivered', () => {
    const streams = new SharedStreams();
    const source = new Subject<string>();
    const second: string[] = [];
    let secondSubscription: { unsubscribe(): void } | undefined;
    streams.get('k', () => source).subscribe((v) => {
      if (v === 'b') secondSubscription?.unsubscribe();
    });
    secondSubscription = streams.get('k', () => source).subscribe((v) => second.push(v));
    source.next('a');
    source.next('b');
    source.next('c');
    expect(second).toEqual(['a']);
    expect(source.observed).toBe(true); // the first is still there
  });

  it('handles a source that completes, or whose only subscriber leaves, while it starts', () => {
    const streams = new SharedStreams();
    const done: string[] = [];
    streams.get('k', () => of('a', 'b')).subscribe({ next: (v) => done.push(v), complete: () => done.push('|') });
    expect(done).toEqual(['a', 'b', '|']);
    expect(streams.size).toBe(0);

    let stopped = false;
    const endless = new Observable<string>((subscriber) => {
      subscriber.next('x');
      subscriber.next('y');
      return () => {
        stopped = true;
      };
    });
    const seen: string[] = [];
    streams.get('e', () => endless).pipe(take(1)).subscribe((v) => seen.push(v));
    expect(seen).toEqual(['x']);
    expect(stopped).toBe(true);
    expect(streams.size).toBe(0);
  });
});
