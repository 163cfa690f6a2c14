import type { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ClientClosedError, OPEN_ACL_UNSAFE, type ZkClient } from '../../../src/index.js';
import { eventually, record, testClient } from '../../helpers/zk.js';

async function closedClient(): Promise<ZkClient> {
  const zk = await testClient();
  await zk.close();
  return zk;
}

describe('a closed client', () => {
  it('rejects every operation with ClientClosedError', async () => {
    const zk = await closedClient();
    const calls: [string, () => Promise<unknown>][] = [
      ['create', () => zk.create('/closed-client-test')],
      ['get', () => zk.get('/')],
      ['set', () => zk.set('/closed-client-test', 'x')],
      ['delete', () => zk.delete('/closed-client-test')],
      ['delete recursive', () => zk.delete('/closed-client-test', { recursive: true })],
      ['getChildren', () => zk.getChildren('/')],
      ['exists', () => zk.exists('/')],
      ['getACL', () => zk.getACL('/')],
      ['setACL', () => zk.setACL('/closed-client-test', OPEN_ACL_UNSAFE)],
      ['addAuth', () => zk.addAuth('digest', 'user:secret')],
      ['transaction', () => zk.transaction().create('/closed-client-test').commit()],
      ['ready', () => zk.ready({ timeoutMs: 5_000 })],
    ];
    for (const [name, call] of calls) {
      const error = await call().then(
        () => new Error(`${name} resolved`),
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(ClientClosedError);
      // Named by the call it failed.
      expect((error as Error).message, name).toMatch(/^\w+( \S+)?: the client (is|was) closed$/);
    }
    await expect(zk.get('/x')).rejects.toThrow('get /x: the client is closed');
  });

  it('gives streams that complete at once', async () => {
    const zk = await closedClient();
    const streams: Observable<unknown>[] = [
      zk.data$('/'),
      zk.children$('/'),
      zk.exists$('/'),
      zk.tree$('/zookeeper'),
      zk.deleted$('/'),
    ];
    const recorded = streams.map((s) => record(s));
    await eventually(() => recorded.every((r) => r.completed()), 'every stream to complete');
    for (const r of recorded) {
      expect(r.values).toEqual([]);
      expect(r.errors).toEqual([]);
    }
  });

  it('replays closed to a late state$ subscriber, then completes', async () => {
    const zk = await closedClient();
    const state = record(zk.state$);
    expect(state.values).toEqual(['closed']);
    expect(state.completed()).toBe(true);
  });
});
