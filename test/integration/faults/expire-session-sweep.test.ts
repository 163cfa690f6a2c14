import { afterAll, beforeAll, describe, it } from 'vitest';
import { connect } from '../../../src/index.js';
import { expireSession, startZooKeeper, type TestingZooKeeper } from '../../../src/testing/index.js';
import { eventually } from '../../helpers/zk.js';

let server: TestingZooKeeper;
beforeAll(async () => {
  // fsync on every transaction widens the window in which a close is on its way through the server.
  server = await startZooKeeper({ source: 'local', forceSync: true });
});
afterAll(() => server?.stop());

const connectionsOf = async (sessionId: string) =>
  (await server.fourLetter(0, 'cons')).split('\n').filter((line) => line.includes(`sid=0x${sessionId},`)).length;

describe('expireSession', () => {
  // A client that re-attaches between expireSession's attach and its close is left on a connection
  // to a session the server closed, which the server no longer maps to the session; with a long
  // session timeout it would sit there for many seconds. fsync on every transaction (forceSync)
  // widens that window enough for the race to show within these repetitions.
  it('never leaves the client attached to the session it ended', async () => {
    for (let i = 0; i < 25; i++) {
      const zk = connect(server.connectString, { sessionTimeoutMs: 30_000 });
      try {
        await zk.ready();
        const session = zk.sessionId!;
        await expireSession(zk);
        await eventually(async () => (await connectionsOf(session)) === 0, `no connection left on 0x${session}`, 5_000);
        await eventually(() => zk.sessionId !== null && zk.sessionId !== session, 'a new session', 10_000);
      } finally {
        await zk.close();
      }
    }
  });
});
