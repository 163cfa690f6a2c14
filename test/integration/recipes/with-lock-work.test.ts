import { firstValueFrom, lastValueFrom, of, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { LockTimeoutError, withLock, withReadLock, withWriteLock } from '../../../src/index.js';
import { testClient, testRoot } from '../../helpers/zk.js';

describe('withLock work, as a user writes it', () => {
  it('a string, an array or any plain value is emitted once, as it is', async () => {
    const zk = await testClient();
    const path = `${await testRoot(zk, 'with-lock-work')}/lock`;
    expect(await lastValueFrom(withLock(zk, path, () => 'done').pipe(toArray()))).toEqual(['done']);
    expect(await lastValueFrom(withReadLock(zk, path, () => [1, 2]).pipe(toArray()))).toEqual([[1, 2]]);
    expect(await lastValueFrom(withWriteLock(zk, path, () => 42).pipe(toArray()))).toEqual([42]);
    expect(await zk.getChildren(path)).toEqual([]);
  });

  it('work that returns nothing (sync or async) emits undefined once, after which the lock is released', async () => {
    const zk = await testClient();
    const path = `${await testRoot(zk, 'with-lock-work')}/lock`;
    const ran: string[] = [];
    await firstValueFrom(withLock(zk, path, () => void ran.push('sync')));
    expect(await zk.getChildren(path)).toEqual([]);
    await firstValueFrom(
      withLock(zk, path, async () => {
        ran.push('async');
      }),
    );
    expect(ran).toEqual(['sync', 'async']);
    expect(await zk.getChildren(path)).toEqual([]);
  });

  it('an Observable or a Promise still gives its values', async () => {
    const zk = await testClient();
    const path = `${await testRoot(zk, 'with-lock-work')}/lock`;
    expect(await lastValueFrom(withLock(zk, path, () => of('a', 'b')).pipe(toArray()))).toEqual(['a', 'b']);
    expect(await lastValueFrom(withLock(zk, path, async () => 'resolved').pipe(toArray()))).toEqual(['resolved']);
  });

  it('is not re-entrant: a nested withLock on the same path waits behind the outer one', async () => {
    const zk = await testClient();
    const path = `${await testRoot(zk, 'with-lock-work')}/lock`;
    const outcome = await lastValueFrom(
      withLock(zk, path, () => lastValueFrom(withLock(zk, path, () => 'inner', { timeoutMs: 300 })).catch((e: unknown) => e)),
    );
    expect(outcome).toBeInstanceOf(LockTimeoutError);
    expect(await zk.getChildren(path)).toEqual([]);
  });
});
