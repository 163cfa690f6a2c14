import { describe, expect, it } from 'vitest';
import { EventType, WatcherType } from '../../../src/wire/event-types.js';
import { setWatchesBatches, WatchRegistry } from '../../../src/wire/watch-registry.js';
import type { Watcher } from '../../../src/wire/wire-client.js';

const w = (name: string): Watcher & { label: string } => Object.assign(() => {}, { label: name });
const labels = (watchers: Watcher[] | null) => (watchers ?? []).map((x) => (x as Watcher & { label: string }).label).sort();

describe('WatchRegistry', () => {
  it('fires data and exists watches on a change, once, and forgets them', () => {
    const r = new WatchRegistry();
    r.add('data', '/a', w('data'));
    r.add('exist', '/a', w('exist'));
    r.add('child', '/a', w('child'));
    expect(labels(r.triggered(EventType.nodeDataChanged, '/a'))).toEqual(['data', 'exist']);
    expect(labels(r.triggered(EventType.nodeDataChanged, '/a'))).toEqual([]);
    expect(r.has('child', '/a')).toBe(true);
  });

  it('fires data, exists and child watches on a delete; child watches on a children change', () => {
    const r = new WatchRegistry();
    r.add('child', '/a', w('child'));
    expect(labels(r.triggered(EventType.nodeChildrenChanged, '/a'))).toEqual(['child']);
    r.add('data', '/a', w('data'));
    r.add('exist', '/a', w('exist'));
    r.add('child', '/a', w('child2'));
    expect(labels(r.triggered(EventType.nodeDeleted, '/a'))).toEqual(['child2', 'data', 'exist']);
    expect(r.size).toBe(0);
  });

  it('calls a function registered under several kinds once, and keeps one entry per function', () => {
    const r = new WatchRegistry();
    const one = w('one');
    r.add('data', '/a', one);
    r.add('data', '/a', one);
    r.add('exist', '/a', one);
    expect(labels(r.triggered(EventType.nodeDeleted, '/a'))).toEqual(['one']);
  });

  it('keeps persistent watches after they fire; recursive ones fire for descendants but not for child events', () => {
    const r = new WatchRegistry();
    r.add('persistent', '/a', w('p'));
    r.add('persistentRecursive', '/', w('root'));
    r.add('persistentRecursive', '/a', w('ra'));
    r.add('persistentRecursive', '/a/b', w('rab'));
    expect(labels(r.triggered(EventType.nodeCreated, '/a/b/c'))).toEqual(['ra', 'rab', 'root']);
    expect(labels(r.triggered(EventType.nodeDataChanged, '/a'))).toEqual(['p', 'ra', 'root']);
    expect(labels(r.triggered(EventType.nodeChildrenChanged, '/a'))).toEqual(['p']);
    expect(labels(r.triggered(EventType.nodeDeleted, '/ab'))).toEqual(['root']);
    expect(r.size).toBe(4);
  });

  it('says null for an event type it does not know', () => {
    expect(new WatchRegistry().triggered(99, '/a')).toBeNull();
  });

  it('removes one watcher or all of a type, and says which kinds are left empty', () => {
    const r = new WatchRegistry();
    const a = w('a');
    const b = w('b');
    r.add('data', '/x', a);
    r.add('exist', '/x', b);
    r.add('child', '/x', a);
    const first = r.remove('/x', WatcherType.data, a);
    expect(first.removed).toEqual([{ watcher: a, type: EventType.dataWatchRemoved }]);
    expect(first.emptied).toEqual([]);
    const second = r.remove('/x', WatcherType.data, null);
    expect(second.removed).toEqual([{ watcher: b, type: EventType.dataWatchRemoved }]);
    expect(second.emptied).toEqual([WatcherType.data]);
    const any = r.remove('/x', WatcherType.any, null);
    expect(any.removed).toEqual([{ watcher: a, type: EventType.childWatchRemoved }]);
    expect(any.emptied).toEqual([WatcherType.children]);
    expect(r.remove('/x', WatcherType.any, null).removed).toEqual([]);
  });
});

describe('setWatchesBatches', () => {
  const path = (i: number) => `/${'p'.repeat(95)}/${String(i).padStart(5, '0')}`;

  it('keeps every packet within the limit, and every path once, in ClientCnxn order', () => {
    const data = Array.from({ length: 3000 }, (_, i) => path(i));
    const exist = Array.from({ length: 1000 }, (_, i) => path(10_000 + i));
    const child = Array.from({ length: 1000 }, (_, i) => path(20_000 + i));
    const batches = setWatchesBatches({ data, exist, child, persistent: [], persistentRecursive: [] }, 128 * 1024);
    expect(batches.length).toBeGreaterThan(3);
    for (const { lists, two } of batches) {
      const bytes =
        4 + 8 + 8 + 5 * 4 + [...lists.data, ...lists.exist, ...lists.child].reduce((sum, p) => sum + 4 + Buffer.byteLength(p), 0);
      expect(bytes).toBeLessThanOrEqual(128 * 1024);
      expect(two).toBe(false);
    }
    expect(batches.flatMap((b) => b.lists.data)).toEqual(data);
    expect(batches.flatMap((b) => b.lists.exist)).toEqual(exist);
    expect(batches.flatMap((b) => b.lists.child)).toEqual(child);
  });

  it('sends a packet holding persistent watches as SetWatches2, the others as SetWatches', () => {
    const batches = setWatchesBatches(
      { data: ['/a'.repeat(30), '/b'.repeat(30)], exist: [], child: [], persistent: ['/p'.repeat(30)], persistentRecursive: ['/r'.repeat(30)] },
      4 + 8 + 8 + 20 + 2 * (4 + 60),
    );
    expect(batches.map((b) => b.two)).toEqual([false, true]);
    expect(batches[0]!.lists.data).toEqual(['/a'.repeat(30), '/b'.repeat(30)]);
    expect(batches[1]!.lists).toMatchObject({ data: [], persistent: ['/p'.repeat(30)], persistentRecursive: ['/r'.repeat(30)] });
  });

  it('sends a path longer than the limit alone rather than never', () => {
    const long = `/${'x'.repeat(200)}`;
    const batches = setWatchesBatches({ data: ['/a', long, '/b'], exist: [], child: [], persistent: [], persistentRecursive: [] }, 100);
    expect(batches.map((b) => b.lists.data)).toEqual([['/a'], [long], ['/b']]);
  });

  it('makes no packet for no watches', () => {
    expect(setWatchesBatches({ data: [], exist: [], child: [], persistent: [], persistentRecursive: [] }, 1000)).toEqual([]);
  });
});
