import { tap, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NoAuthError } from '../../../src/errors/zk-error.js';
import { isLive, type ConnectionState } from '../../../src/model/connection-state.js';
import type { StreamHost, StreamWire } from '../../../src/streams/stream-host.js';
import { READ_AGAIN, watchedNode, type WatchedRead } from '../../../src/streams/watched-node.js';
import { EventType } from '../../../src/wire/event-types.js';
import type { Watcher, WireFailure } from '../../../src/wire/wire-client.js';
import { cases, marbles, type Context } from '../../helpers/marbles.js';

const states: Record<string, ConnectionState> = {
  c: 'connected',
  s: 'suspended',
  r: 'reconnected',
  l: 'lost',
  x: 'closed',
  a: 'auth-failed',
};

/** How one read is answered: after `in` frames, with a value or a ZooKeeper error code. */
type Answer = { in: number; value: string } | { in: number; code: number } | { in: number; again: boolean };

interface Read {
  readonly at: number;
  readonly serverPath: string;
  readonly watcher: Watcher;
}

/**
 * A host whose connection states come from a marble, and whose wire is a stand-in: what a
 * stream reads, when, and what it takes off the wire are recorded; each read is answered as the
 * test's script says (read i by `answers[i]`, the last answer for any after it).
 */
function fakeHost(m: Context, stateMarble: string, answers: readonly Answer[]) {
  let current: ConnectionState = 'connecting';
  const reads: Read[] = [];
  const unwatched: { at: number; serverPath: string; watcher: Watcher }[] = [];
  const wire = {} as StreamWire;
  const host: StreamHost = {
    state$: (m.hot(stateMarble, states) as Observable<ConnectionState>).pipe(tap((state) => (current = state))),
    live: () => (isLive(current) ? wire : null),
    toServerPath: (path) => `/ns${path}`,
    unwatch: (serverPath, watcher) => unwatched.push({ at: m.scheduler.now(), serverPath, watcher }),
  };
  const read: WatchedRead<string> = (given, serverPath, watcher, done) => {
    expect(given).toBe(wire);
    const answer = answers[Math.min(reads.length, answers.length - 1)]!;
    reads.push({ at: m.scheduler.now(), serverPath, watcher });
    m.scheduler.schedule(() => {
      if ('value' in answer) done(null, answer.value);
      else if ('again' in answer) done(null, READ_AGAIN);
      else done(Object.assign(new Error(`code ${answer.code}`), { code: answer.code }) as WireFailure);
    }, answer.in);
  };
  /** Fires the watch event of the latest read at frame `at`. */
  const fire = (at: number, type: number = EventType.nodeDataChanged) =>
    m.scheduler.schedule(() => reads.at(-1)!.watcher({ type: type as never, path: '/ns/p' }), at);
  return { host, read, reads, unwatched, fire };
}

describe('watchedNode', () => {
  cases(
    'reads as the session and the watch say',
    (m, c) => {
      const { host, read, reads, fire } = fakeHost(m, c.states, c.answers);
      for (const at of c.events ?? []) fire(at);
      m.expect(watchedNode(host, '/p', 'data$', read), c.unsub).toBeObservable(c.expected);
      m.flush();
      expect(reads.map((r) => r.at)).toEqual(c.readsAt);
      expect(new Set(reads.map((r) => r.watcher)).size).toBe(1);
      expect(reads.every((r) => r.serverPath === '/ns/p')).toBe(true);
    },
    {
      'reads when the session is up, then again at each watch event': {
        states: 'c',
        answers: [{ in: 2, value: 'a' }, { in: 2, value: 'b' }],
        events: [5],
        expected: '--a----b',
        readsAt: [0, 5],
      },
      'one read in flight: events during a read cause exactly one more read, after it': {
        states: 'c',
        answers: [{ in: 2, value: 'a' }, { in: 2, value: 'b' }, { in: 2, value: 'c' }],
        events: [5, 6, 6],
        expected: '--a----b-c',
        readsAt: [0, 5, 7],
      },
      'a read that saw the node change under it reads again at once, emitting nothing': {
        states: 'c',
        answers: [{ in: 1, again: true }, { in: 1, value: 'a' }],
        expected: '--a',
        readsAt: [0, 1],
      },
      'nothing is read before there is a session': {
        states: '--s--c',
        answers: [{ in: 1, value: 'a' }],
        expected: '------a',
        readsAt: [5],
      },
      'a new session reads afresh, and a reply from the old one is ignored': {
        states: 'c--l-c',
        answers: [{ in: 6, value: 'old' }, { in: 2, value: 'b' }],
        expected: '-------b',
        readsAt: [0, 5],
      },
      'a read lost with the connection is repeated when the same session is back': {
        states: 'c-s--r',
        answers: [{ in: 1, code: -4 }, { in: 1, value: 'a' }],
        expected: '------a',
        readsAt: [0, 5],
      },
      'a read answered before the suspension is not repeated on reconnect: its watch survives': {
        states: 'c-s-r',
        answers: [{ in: 1, value: 'a' }],
        expected: '-a',
        readsAt: [0],
      },
      'a session that ended with the read out is not an error: the next session reads': {
        states: 'c--l-c',
        answers: [{ in: 1, code: -112 }, { in: 1, value: 'a' }],
        expected: '------a',
        readsAt: [0, 5],
      },
      'completes when the client closes': {
        states: 'c---x',
        answers: [{ in: 1, value: 'a' }],
        expected: '-a--|',
        readsAt: [0],
      },
    },
  );

  describe('errors', () => {
    it(
      'errors on a final read error, typed and naming the path, and reads no more',
      marbles((m) => {
        const { host, read, reads, fire } = fakeHost(m, 'c', [{ in: 2, code: -102 }]);
        fire(4);
        const seen: unknown[] = [];
        watchedNode(host, '/p', 'data$', read).subscribe({ error: (error: unknown) => seen.push(error) });
        m.flush();
        expect(seen).toHaveLength(1);
        expect(seen[0]).toBeInstanceOf(NoAuthError);
        expect((seen[0] as NoAuthError).path).toBe('/p');
        expect(reads).toHaveLength(1);
      }),
    );

    it(
      'errors with AuthFailedError when the server rejects the credentials',
      marbles((m) => {
        const { host, read } = fakeHost(m, 'c-a', [{ in: 1, value: 'a' }]);
        const seen: string[] = [];
        watchedNode(host, '/p', 'data$', read).subscribe({ next: (v) => seen.push(v), error: (e: Error) => seen.push(e.name) });
        m.flush();
        expect(seen).toEqual(['a', 'AuthFailedError']);
      }),
    );
  });

  describe('teardown', () => {
    it(
      'takes its watcher off the wire when the last subscriber leaves, and again when a read out then comes back',
      marbles((m) => {
        const { host, read, reads, unwatched } = fakeHost(m, 'c', [{ in: 4, value: 'a' }]);
        m.expect(watchedNode(host, '/p', 'data$', read), '^-!').toBeObservable('---');
        m.flush();
        expect(reads).toHaveLength(1);
        expect(unwatched.map((u) => [u.at, u.serverPath])).toEqual([
          [2, '/ns/p'],
          [4, '/ns/p'],
        ]);
        expect(unwatched.every((u) => u.watcher === reads[0]!.watcher)).toBe(true);
      }),
    );

    it(
      'a watch removal event is not a change: nothing is read for it',
      marbles((m) => {
        const { host, read, reads, fire } = fakeHost(m, 'c', [{ in: 1, value: 'a' }]);
        fire(3, EventType.dataWatchRemoved);
        fire(5, EventType.childWatchRemoved);
        m.expect(watchedNode(host, '/p', 'data$', read)).toBeObservable('-a');
        m.flush();
        expect(reads).toHaveLength(1);
      }),
    );

    it(
      'a deletion event can say the value at once, before the re-read',
      marbles((m) => {
        const { host, read, fire } = fakeHost(m, 'c', [{ in: 1, value: 'a' }, { in: 3, value: 'b' }]);
        fire(4, EventType.nodeDeleted);
        const stream = watchedNode(host, '/p', 'data$', read, (event) => (event.type === EventType.nodeDeleted ? 'gone' : undefined));
        m.expect(stream).toBeObservable('-a--g--b', { a: 'a', g: 'gone', b: 'b' });
      }),
    );
  });
});
