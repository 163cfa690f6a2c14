/**
 * Read/write lock: three readers and two writers take the lock over and over. Readers hold it
 * together, a writer alone, and everyone is served in arrival order, so a writer is never starved
 * by the readers.
 *
 *   npm run demo:read-write-lock [-- --duration 8]
 */
import { defer, EMPTY, lastValueFrom, map, repeat, timer } from 'rxjs';
import { withReadLock, withWriteLock } from '../../src/index.js';
import { runDemo } from '../support/demo.js';

await runDemo('read/write lock', { seconds: 8 }, async ({ connect, log, end$ }) => {
  let ending = false;
  end$.subscribe(() => (ending = true));
  const holders = { read: 0, write: 0 };

  const participants = ['reader-1', 'writer-1', 'reader-2', 'reader-3', 'writer-2'].map((who) => {
    const zk = connect();
    const kind = who.startsWith('reader') ? 'read' : 'write';
    const withSide = kind === 'read' ? withReadLock : withWriteLock;
    // The critical section: say who else holds the lock now, work a little, let go.
    const work = () => {
      holders[kind] += 1;
      log(who, `holds the ${kind} lock (readers ${holders.read}, writers ${holders.write})`);
      return timer(300).pipe(map(() => (holders[kind] -= 1)));
    };
    const turns = defer(() => withSide(zk, '/locks/catalog', work)).pipe(
      repeat({ delay: () => (ending ? EMPTY : timer(100 + Math.random() * 400)) }),
    );
    return lastValueFrom(turns, { defaultValue: undefined });
  });
  await Promise.all(participants);
});
