import { describe, expect, it } from 'vitest';
import { defer } from 'rxjs';
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
});
