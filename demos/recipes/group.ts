/**
 * Group membership: three members join at different times; one leaves, one crashes, and one's
 * session expires (it joins again on its new session). An observer prints the members as they
 * change.
 *
 *   npm run demo:group [-- --duration 6]
 */
import { filter, firstValueFrom, Subject } from 'rxjs';
import { group, members$, type GroupMember, type ZkClient } from '../../src/index.js';
import { expireSession } from '../../src/testing/index.js';
import { runDemo } from '../support/demo.js';

const show = (members: readonly GroupMember[]) =>
  members.map((m) => `${m.id}=${JSON.stringify(m.data)}`).join(' ') || '(nobody)';

await runDemo('group membership', { seconds: 6 }, async ({ connect, at, log }) => {
  const observed$ = new Subject<readonly GroupMember[]>();
  let latest: readonly GroupMember[] = [];
  members$(connect(), '/groups/workers').subscribe((members) => {
    log('observer', show(members));
    latest = members;
    observed$.next(members);
  });

  const members = new Map<string, { zk: ZkClient; leave: () => void }>();
  const join = (id: string, data: unknown) => {
    const zk = connect();
    const membership = group(zk, '/groups/workers', { id, data }).subscribe();
    members.set(id, { zk, leave: () => membership.unsubscribe() });
    log(id, 'joins');
  };

  at(200, () => join('worker-a', { slots: 4 }));
  at(700, () => join('worker-b', { slots: 2 }));
  at(1_200, () => join('worker-c', { slots: 1 }));
  at(2_000, () => {
    log('worker-b', 'leaves');
    members.get('worker-b')!.leave();
  });
  at(2_800, async () => {
    log('worker-c', 'crashes (its session ends)');
    await members.get('worker-c')!.zk.close();
  });
  at(3_600, async () => {
    const joinedAt = latest.find((m) => m.id === 'worker-a')?.joinedAt;
    // Back on its new session: a node of its own again, made later than the old one.
    const back = firstValueFrom(observed$.pipe(filter((ms) => ms.some((m) => m.id === 'worker-a' && m.joinedAt !== joinedAt))));
    log('worker-a', 'its session expires');
    await expireSession(members.get('worker-a')!.zk);
    await back;
    log('worker-a', 'joined again on its new session');
  });
});
