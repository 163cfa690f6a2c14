import { from, lastValueFrom, map, mergeMap, NEVER, of, take, timeout, toArray, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  NoNodeError,
  NotAParticipantError,
  twoPhaseCommit,
  type CoordinatorState,
  type ParticipantState,
  type Vote,
  type ZkClient,
} from '../../../src/index.js';
import { eventually, nextMatching, record, testClient, testRoot } from '../../helpers/zk.js';

const all = <T>(source: Observable<T>) => lastValueFrom(source.pipe(timeout(20_000), toArray()));
const decidedOf = <S extends { state: string }>(states: readonly S[]) => states.at(-1) as Extract<S, { state: 'decided' }>;

/** A participant that votes on the first transaction proposed to it. */
function participant(zk: ZkClient, path: string, id: string, vote: Vote | (() => Observable<Vote>)) {
  const tpc = twoPhaseCommit(zk, path);
  return record(
    tpc.proposals$(id).pipe(
      take(1),
      mergeMap((p) => tpc.participate$(p.txId, { id, vote })),
    ),
  );
}

describe('twoPhaseCommit', () => {
  it('commits when every participant votes commit, and everyone learns it', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tpc-commit');
    const path = `${root}/tx`;
    const [a, b, c] = await Promise.all([testClient(), testClient(), testClient()]);
    const parts = [participant(a, path, 'db', 'commit'), participant(b, path, 'mail', () => of<Vote>('commit')), participant(c, path, 'cache', 'commit')];
    const states = await all(twoPhaseCommit(zk, path).coordinate$({ participants: ['db', 'mail', 'cache'], timeoutMs: 20_000, payload: { order: 7 } }));
    const final = decidedOf<CoordinatorState>(states);
    expect(final).toMatchObject({ state: 'decided', decision: 'commit', reason: 'unanimous' });
    expect(states[0]).toEqual({ state: 'collecting', txId: final.txId, votes: {} });
    for (const p of parts) await eventually(() => p.completed(), 'every participant to learn the decision');
    for (const p of parts) {
      expect(p.values.map((s) => s.state)).toEqual(['preparing', 'voted', 'decided']);
      expect(p.values.at(-1)).toMatchObject({ decision: 'commit', vote: 'commit', txId: final.txId });
    }
  });

  it('aborts as soon as one participant votes abort', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tpc-abort');
    const path = `${root}/tx`;
    const [a, b] = await Promise.all([testClient(), testClient()]);
    const yes = participant(a, path, 'db', 'commit');
    // Votes abort only once 'db' has voted: a participant that first looks after the decision
    // learns it without voting (vote null), which is not what this test is about.
    const no = participant(b, path, 'mail', () =>
      from(eventually(() => yes.values.some((s) => s.state === 'voted'), 'db to vote')).pipe(map((): Vote => 'abort')),
    );
    // 'lazy' never votes: only an abort vote can decide before the (long) timeout.
    const states = await all(twoPhaseCommit(zk, path).coordinate$({ participants: ['db', 'mail', 'lazy'], timeoutMs: 60_000 }));
    expect(decidedOf(states)).toMatchObject({ decision: 'abort', reason: 'vote-abort' });
    await eventually(() => yes.completed() && no.completed(), 'the participants to learn the decision');
    expect(yes.values.at(-1)).toMatchObject({ state: 'decided', decision: 'abort', vote: 'commit' });
    expect(no.values.at(-1)).toMatchObject({ state: 'decided', decision: 'abort', vote: 'abort' });
  });

  it('counts a participant that crashes before voting as abort after the timeout', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tpc-crash');
    const path = `${root}/tx`;
    const [a, doomed] = await Promise.all([testClient(), testClient()]);
    const survivor = participant(a, path, 'db', 'commit');
    let preparing = false;
    participant(doomed, path, 'mail', () => {
      preparing = true;
      return NEVER; // still preparing when it dies
    });
    const coordinated = record(twoPhaseCommit(zk, path).coordinate$({ participants: ['db', 'mail'], timeoutMs: 1_500 }));
    await eventually(() => preparing, 'the doomed participant to start preparing');
    await doomed.close();
    await eventually(() => coordinated.completed(), 'the coordinator to decide');
    expect(decidedOf(coordinated.values)).toMatchObject({ decision: 'abort', reason: 'timeout', votes: { db: 'commit' } });
    await eventually(() => survivor.completed(), 'the survivor to learn the decision');
    expect(survivor.values.at(-1)).toMatchObject({ decision: 'abort', reason: 'timeout' });
  });

  it('is decided by the participants when the coordinator is gone; a restarted participant finds its vote', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tpc-no-coordinator');
    const path = `${root}/tx`;
    const coordinatorClient = await testClient();
    const coordinated = record(twoPhaseCommit(coordinatorClient, path).coordinate$({ participants: ['db', 'mail'], timeoutMs: 60_000 }));
    await eventually(() => coordinated.values.length > 0, 'the proposal');
    const txId = (coordinated.values[0] as Extract<CoordinatorState, { state: 'collecting' }>).txId;
    await coordinatorClient.close(); // the coordinator dies before any vote

    const [a, b] = await Promise.all([testClient(), testClient()]);
    const db = record(twoPhaseCommit(a, path).participate$(txId, { id: 'db', vote: 'commit' }));
    const mail = record(twoPhaseCommit(b, path).participate$(txId, { id: 'mail', vote: 'commit' }));
    await eventually(() => db.completed() && mail.completed(), 'the participants to decide');
    expect(db.values.at(-1)).toMatchObject({ state: 'decided', decision: 'commit', reason: 'unanimous' });
    expect(JSON.parse((await zk.get(`${path}/${txId}/decision`)).data.toString()).by).toMatch(/^(db|mail)$/);

    // Restarted after the decision, with a different mind: the vote on record and the decision stand.
    const again = await all(twoPhaseCommit(zk, path).participate$(txId, { id: 'db', vote: 'abort' }));
    expect(decidedOf<ParticipantState>(again)).toMatchObject({ decision: 'commit', vote: 'commit' });
  });

  it('aborts when the coordinator is unsubscribed before a decision', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tpc-cancel');
    const path = `${root}/tx`;
    const coordinated = record(twoPhaseCommit(zk, path).coordinate$({ participants: ['db'], timeoutMs: 60_000 }));
    await eventually(() => coordinated.values.length > 0, 'the proposal');
    const txId = (coordinated.values[0] as Extract<CoordinatorState, { state: 'collecting' }>).txId;
    coordinated.subscription.unsubscribe();
    const other = await testClient();
    const late = await nextMatching(
      twoPhaseCommit(other, path).participate$(txId, { id: 'db', vote: 'commit' }),
      (s) => s.state === 'decided',
      'the decision',
    );
    expect(late).toEqual({ state: 'decided', txId, vote: null, decision: 'abort', reason: 'cancelled' });
  });

  it('reports unknown transactions and strangers in the error channel, bad arguments at once', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'tpc-errors');
    const path = `${root}/tx`;
    const tpc = twoPhaseCommit(zk, path);
    await expect(all(tpc.participate$('nope', { id: 'db', vote: 'commit' }))).rejects.toBeInstanceOf(NoNodeError);
    const coordinated = record(tpc.coordinate$({ participants: ['db'], timeoutMs: 60_000 }));
    await eventually(() => coordinated.values.length > 0, 'the proposal');
    const txId = (coordinated.values[0] as Extract<CoordinatorState, { state: 'collecting' }>).txId;
    await expect(all(tpc.participate$(txId, { id: 'eve', vote: 'commit' }))).rejects.toBeInstanceOf(NotAParticipantError);
    // A stranger leaves no vote (requests of one session are answered in order).
    expect(await zk.exists(`${path}/${txId}/votes/eve`)).toBeNull();

    expect(() => tpc.coordinate$({ participants: [], timeoutMs: 1 })).toThrow(`twoPhaseCommit ${path}: participants must be a non-empty array of ids`);
    expect(() => tpc.coordinate$({ participants: ['a', 'a'], timeoutMs: 1 })).toThrow('participant "a" is named twice');
    expect(() => tpc.coordinate$({ participants: ['a/b'], timeoutMs: 1 })).toThrow(/each participant must be a non-empty string without "\/"/);
    expect(() => tpc.coordinate$({ participants: ['a'], timeoutMs: -1 })).toThrow(/timeoutMs must be a number of milliseconds >= 0, got -1/);
    expect(() => tpc.participate$('', { id: 'a', vote: 'commit' })).toThrow(/txId must be a transaction node's name/);
    expect(() => tpc.participate$('t', { id: 'a', vote: 'maybe' as Vote })).toThrow(/vote must be 'commit', 'abort' or a function, got "maybe"/);
  });
});
