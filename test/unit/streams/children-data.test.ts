import { Observable, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ZNode } from '../../../src/model/stat.js';
import { childrenDataOf } from '../../../src/streams/children-data.js';

const node = (path: string, text: string, czxid: bigint): ZNode =>
  ({ path, data: Buffer.from(text), stat: { czxid, mzxid: czxid } }) as unknown as ZNode;

/**
 * List reads and per-child data streams driven by the test: every subscription to a child's data
 * gets its own Subject (as the real, unshared streams read afresh).
 */
function fakeReads() {
  const lists = new Subject<string[] | null>();
  const reads = new Map<string, Subject<ZNode | null>[]>();
  const childData$ = (name: string) =>
    new Observable<ZNode | null>((subscriber) => {
      const path = `/p/${name}`;
      const subject = new Subject<ZNode | null>();
      reads.set(path, [...(reads.get(path) ?? []), subject]);
      return subject.subscribe(subscriber);
    });
  const stream = childrenDataOf(lists, childData$);
  const latestRead = (path: string) => reads.get(path)!.at(-1)!;
  return { stream, lists, reads, latestRead };
}

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));
const texts = (map: ReadonlyMap<string, ZNode> | undefined) =>
  Object.fromEntries([...(map ?? [])].map(([name, n]) => [name, n.data.toString()]));

describe('childrenData', () => {
  it('emits once every listed child is read, then on each change, dropping children that leave', async () => {
    const { stream, lists, latestRead } = fakeReads();
    const seen: ReadonlyMap<string, ZNode>[] = [];
    stream.subscribe((m) => seen.push(m));
    lists.next(['a', 'b']);
    latestRead('/p/a').next(node('/p/a', 'A', 1n));
    await settle();
    expect(seen).toEqual([]); // b not read yet
    latestRead('/p/b').next(node('/p/b', 'B', 2n));
    await settle();
    expect(texts(seen.at(-1))).toEqual({ a: 'A', b: 'B' });
    lists.next(['b']);
    await settle();
    expect(texts(seen.at(-1))).toEqual({ b: 'B' });
  });

  it('a repeated list read changes nothing and reads nothing again', async () => {
    const { stream, lists, reads, latestRead } = fakeReads();
    const seen: ReadonlyMap<string, ZNode>[] = [];
    stream.subscribe((m) => seen.push(m));
    lists.next(['a']);
    latestRead('/p/a').next(node('/p/a', 'A', 1n));
    await settle();
    lists.next(['a']);
    await settle();
    expect(seen).toHaveLength(1);
    expect(reads.get('/p/a')).toHaveLength(1);
  });

  it('reads a child afresh when a list read shows it again after its stream saw it go', async () => {
    const { stream, lists, reads, latestRead } = fakeReads();
    const seen: ReadonlyMap<string, ZNode>[] = [];
    stream.subscribe((m) => seen.push(m));
    lists.next(['a']);
    latestRead('/p/a').next(node('/p/a', 'A1', 1n));
    // Deleted: the child's stream says so and stops (no watch left). It was created again before
    // the parent's list was read, so the list is the same as before.
    latestRead('/p/a').next(null);
    await settle();
    expect(texts(seen.at(-1))).toEqual({});
    lists.next(['a']);
    expect(reads.get('/p/a')).toHaveLength(2);
    expect(reads.get('/p/a')![0]!.observed).toBe(false); // the old one is let go
    latestRead('/p/a').next(node('/p/a', 'A2', 5n));
    await settle();
    expect(texts(seen.at(-1))).toEqual({ a: 'A2' });
  });

  it('unsubscribing stops the list reads and every child read', async () => {
    const { stream, lists, reads, latestRead } = fakeReads();
    const subscription = stream.subscribe();
    lists.next(['a', 'b']);
    latestRead('/p/a').next(node('/p/a', 'A', 1n));
    expect(lists.observed).toBe(true);
    subscription.unsubscribe();
    expect(lists.observed).toBe(false);
    for (const subjects of reads.values()) for (const subject of subjects) expect(subject.observed).toBe(false);
    expect(reads.size).toBe(2);
  });
});
