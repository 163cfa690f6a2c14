// A coordinator runs three transactions with three participants on separate clients: the first
// commits, in the second one participant votes abort, and in the third one participant crashes
// while it prepares and the timeout aborts it.
//   npm run demo:two-phase-commit           (an embedded ZooKeeper; or set ZK_CONNECT)
import { delay, lastValueFrom, map, mergeMap, NEVER, of, tap, timeout, type Observable } from 'rxjs';
import { connect, twoPhaseCommit, type Proposal, type Vote } from '../../src/index.js';
import { startZooKeeper } from '../../src/testing/index.js';

const server = await startZooKeeper(); // uses ZK_CONNECT instead when it is set
const path = `/demo/two-phase-commit-${process.pid}`;
const coordinator = connect(server.connectString);
const participants = ['inventory', 'billing', 'shipping'];
const clients = participants.map(() => connect(server.connectString));
const started = Date.now();
const log = (line: string) => console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`);

/** How each participant prepares: it looks at the payload and votes. */
function prepare(id: string, proposal: Proposal): Observable<Vote> {
  const { order, trouble, crash } = proposal.payload as { order: number; trouble?: string; crash?: string };
  if (crash === id) {
    log(`${id} crashes while preparing order ${order}`);
    void clients[participants.indexOf(id)]!.close();
    return NEVER;
  }
  return of<Vote>(trouble === id ? 'abort' : 'commit').pipe(delay(100 + 100 * participants.indexOf(id)));
}

try {
  for (const [i, id] of participants.entries()) {
    const tpc = twoPhaseCommit(clients[i]!, path);
    tpc
      .proposals$(id)
      .pipe(
        mergeMap((p) =>
          tpc.participate$(p.txId, { id, vote: (proposal) => prepare(id, proposal) }).pipe(
            map((s) => `order ${(p.payload as { order: number }).order}: ${s.state}${s.state === 'voted' ? ` ${s.vote}` : ''}${s.state === 'decided' ? ` ${s.decision}` : ''}`),
          ),
        ),
      )
      .subscribe({
        next: (line) => log(`${id}, ${line}`),
        error: () => undefined, // the one that crashes loses its client
      });
  }
  const coordinate = async (payload: object) => {
    await lastValueFrom(
      twoPhaseCommit(coordinator, path)
        .coordinate$({ participants, timeoutMs: 1_500, payload })
        .pipe(
          tap((s) => log(`coordinator: ${s.state} ${s.state === 'decided' ? `${s.decision} (${s.reason})` : JSON.stringify(s.votes)}`)),
          map(() => undefined),
          timeout(10_000),
        ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the participants tell
  };
  log('--- order 1: everyone can do it');
  await coordinate({ order: 1 });
  log('--- order 2: billing cannot');
  await coordinate({ order: 2, trouble: 'billing' });
  log('--- order 3: shipping crashes while preparing');
  await coordinate({ order: 3, crash: 'shipping' });
} finally {
  await coordinator.delete(path, { recursive: true }).catch(() => undefined);
  await Promise.all([coordinator, ...clients].map((zk) => zk.close()));
  await server.stop();
}
