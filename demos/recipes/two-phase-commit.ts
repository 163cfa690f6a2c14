/**
 * Two-phase commit: a coordinator runs three orders past three participants on separate clients.
 * The first commits; in the second, billing votes abort; in the third, shipping crashes while it
 * prepares, and the timeout aborts it.
 *
 *   npm run demo:two-phase-commit [-- --duration 6]
 */
import { delay, lastValueFrom, map, mergeMap, NEVER, of, type Observable } from 'rxjs';
import { twoPhaseCommit, type Proposal, type Vote, type ZkClient } from '../../src/index.js';
import { runDemo } from '../support/demo.js';

interface Order {
  order: number;
  /** Who cannot do it. */
  trouble?: string;
  /** Who crashes while preparing. */
  crash?: string;
}

const participants = ['inventory', 'billing', 'shipping'];

await runDemo('two-phase commit', { seconds: 6 }, async ({ connect, log }) => {
  const clients = new Map<string, ZkClient>(participants.map((id) => [id, connect()]));

  /** How a participant prepares: it looks at the order and votes. */
  const prepare = (id: string, proposal: Proposal): Observable<Vote> => {
    const { order, trouble, crash } = proposal.payload as Order;
    if (crash === id) {
      log(id, `crashes while preparing order ${order}`);
      void clients.get(id)!.close();
      return NEVER;
    }
    return of<Vote>(trouble === id ? 'abort' : 'commit').pipe(delay(100 + 100 * participants.indexOf(id)));
  };

  for (const id of participants) {
    const tpc = twoPhaseCommit(clients.get(id)!, '/transactions');
    tpc
      .proposals$(id)
      .pipe(
        mergeMap((p) =>
          tpc.participate$(p.txId, { id, vote: (proposal) => prepare(id, proposal) }).pipe(
            map((s) => {
              const detail = s.state === 'voted' ? ` ${s.vote}` : s.state === 'decided' ? ` ${s.decision}` : '';
              return `order ${(p.payload as Order).order}: ${s.state}${detail}`;
            }),
          ),
        ),
      )
      .subscribe({ next: (line) => log(id, line), error: () => undefined }); // the one that crashes loses its client
  }

  const coordinator = twoPhaseCommit(connect(), '/transactions');
  for (const order of [{ order: 1 }, { order: 2, trouble: 'billing' }, { order: 3, crash: 'shipping' }]) {
    await lastValueFrom(
      coordinator.coordinate$({ participants, timeoutMs: 1_500, payload: order }).pipe(
        map((s) => log('coordinator', `order ${order.order}: ${s.state} ${s.state === 'decided' ? `${s.decision} (${s.reason})` : JSON.stringify(s.votes)}`)),
      ),
      { defaultValue: undefined },
    );
  }
});
