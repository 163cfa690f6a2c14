/**
 * Leader election with handover: three candidates, each watching only the one ahead of it. The
 * leader withdraws (the next one takes over), stands again at the back, and then a leader's
 * session expires (it steps down, the next leads, and it stands again on its new session).
 *
 *   npm run demo:leader [-- --duration 16]
 */
import { map, takeUntil, type Subscription } from 'rxjs';
import { election$, leadership } from '../src/index.js';
import { expireSession } from '../src/testing/index.js';
import { runDemo } from './support/demo.js';

await runDemo('leader election with handover', { seconds: 16 }, ({ connect, at, log, end$ }) => {
  // An observer that does not stand: who leads, and who is in line.
  election$(connect(), '/election/scheduler').subscribe(({ leaderId, candidates }) =>
    log('election$', `leader ${leaderId ?? '(none)'}, line ${candidates.join(' → ') || '(empty)'}`),
  );

  const clients = new Map(['c1', 'c2', 'c3'].map((id) => [id, connect()]));
  const standing = new Map<string, Subscription>();
  const stand = (id: string) => {
    const candidacy = leadership(clients.get(id)!, '/election/scheduler', { id }).pipe(
      map(({ isLeader, leaderId }) => (isLeader ? 'leading' : `following ${leaderId ?? '(unknown)'}`)),
      takeUntil(end$), // taking part lasts until unsubscribed: withdraw when the demo ends
    );
    standing.set(id, candidacy.subscribe((role) => log(id, role)));
  };

  at(500, () => stand('c1'));
  at(1_000, () => stand('c2'));
  at(1_500, () => stand('c3'));
  at(4_000, () => {
    log('c1', 'withdraws (unsubscribes): leadership passes to the next in line');
    standing.get('c1')?.unsubscribe();
  });
  at(7_000, () => stand('c1'));
  at(10_000, () => {
    log('c2', 'its session expires: it steps down, and stands again on its new session');
    return expireSession(clients.get('c2')!);
  });
});
