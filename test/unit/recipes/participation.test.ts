import { map, tap, type Observable } from 'rxjs';
import { describe, expect } from 'vitest';
import { AuthFailedError, type ConnectionState, type ZkClient } from '../../../src/index.js';
import { participate, participation, type Participant } from '../../../src/recipes/participation.js';
import { cases, type Context } from '../../helpers/marbles.js';
import { virtualWithdrawal } from './virtual-withdrawal.js';

/** A connection state and the session id the client has by then. */
interface Moment {
  readonly state: ConnectionState;
  readonly session: string | null;
}
const moments: Record<string, Moment> = {
  g: { state: 'connecting', session: null },
  c: { state: 'connected', session: 'one' },
  s: { state: 'suspended', session: 'one' },
  r: { state: 'reconnected', session: 'one' },
  l: { state: 'lost', session: null },
  n: { state: 'connected', session: 'two' },
  x: { state: 'closed', session: null },
  a: { state: 'auth-failed', session: null },
};
/** What the shell emits: a report on a session (`1`/`2`: a report on `one`/`two`; `G` the goal), or the state while not live. */
const values: Record<string, string> = {
  '1': 'ok@one',
  '2': 'ok@two',
  G: 'goal@one',
  S: 'not suspended',
  L: 'not lost',
  C: 'not connecting',
};
const GAVE_UP = new Error('gave up');
const AUTH_FAILED = new AuthFailedError("the server rejected the client's credentials", { code: -115 });

/** The part of a client the shell uses: its states, with the session id each one comes with, and its scheduler. */
function clientOf(m: Context, states: string): ZkClient {
  const client = { sessionId: null as string | null, scheduler: m.scheduler, state$: undefined as unknown as Observable<ConnectionState> };
  client.state$ = m.hot(states, moments).pipe(
    tap((moment) => (client.sessionId = moment.session)),
    map((moment) => moment.state),
  );
  return client as unknown as ZkClient;
}

describe('participation', () => {
  cases(
    'reports on the session it is handed while live, withdraws when the subscriber leaves',
    (m, c) => {
      const zk = clientOf(m, c.states);
      const withdrawal = virtualWithdrawal(m, '-|');
      const reports: ReturnType<typeof m.cold>[] = [];
      const participant: Participant<string> = {
        report$: (session) => {
          const report$ = m.cold(c.report, { k: 'ok', g: 'goal' });
          reports.push(report$);
          return report$.pipe(map((value) => `${value}@${session}`));
        },
        withdraw: withdrawal.run,
      };
      const states$ = participate(
        () =>
          participation(zk, participant, {
            notLive: (state) => `not ${state}`,
            states: (reports$) => reports$,
            giveUp: { timeoutMs: c.timeout === undefined ? undefined : m.time(c.timeout), reached: (s) => s.startsWith('goal'), error: () => GAVE_UP },
          }),
        (s) => s === 'goal@one',
      );
      m.expect(states$, c.unsub).toBeObservable(c.expected, values, c.error);
      m.flush();
      reports.forEach((report$, i) => m.expect(report$).toHaveSubscriptions(c.reportSubs[i]!));
      expect(reports).toHaveLength(c.reportSubs.length);
      expect(withdrawal.starts).toEqual(c.withdrawnAt.map((at: string) => m.time(at)));
    },
    {
      'each live state starts the reports afresh, with the session of that moment': {
        states: 'gc-s-r--l--n---',
        report: '-k',
        unsub: '^-------------!',
        expected: 'C-1S--1-L---2--',
        reportSubs: ['-^-!', '-----^--!', '-----------^--!'],
        withdrawnAt: ['--------------|'],
      },
      'the goal ends it, and the participant keeps its nodes': {
        states: 'c------',
        report: '-k-g',
        expected: '-1-(G|)',
        reportSubs: ['^--!'],
        withdrawnAt: [],
      },
      'a give-up timeout withdraws, and only then errors': {
        states: 'c-------',
        report: '-k-----',
        timeout: '---|',
        expected: '-1--#',
        error: GAVE_UP,
        reportSubs: ['^--!'],
        withdrawnAt: ['---|', '----|'],
      },
      'a closed client ends the states: the participant withdraws': {
        states: 'c--x',
        report: '-k---',
        expected: '-1-|',
        reportSubs: ['^--!'],
        withdrawnAt: ['---|'],
      },
      'failed credentials error the states: the participant withdraws': {
        states: 'c--a',
        report: '-k---',
        expected: '-1-#',
        error: AUTH_FAILED,
        reportSubs: ['^--!'],
        withdrawnAt: ['---|'],
      },
    },
  );
});
