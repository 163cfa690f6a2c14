import { describe, it } from 'vitest';
import { expireSession } from '../../../src/testing/index.js';
import { ownZooKeeper } from '../../helpers/own-zookeeper.js';
import { eventually, testClient } from '../../helpers/zk.js';

// fsync on every transaction widens the window in which a close is on its way through the server.
const own = ownZooKeeper({ forceSync: true });

const connectionsOf = async (sessionId: string) =>
  (await own.server.fourLetter(0, 'cons')).split('\n').filter((line) => line.includes(`sid=0x${sessionId},`)).length;

describe('expireSession', () => {
  // A client that re-attaches between expireSession's attach and its close is left on a connection
  // to a session the server closed, which the server no longer maps to the session; with a long
  // session timeout it would sit there for many seconds. fsync on every transaction (forceSync)
  // widens that window enough for the race to show within these repetitions.
  it('never leaves the client attached to the session it ended', async () => {
    for (let i = 0; i < 25; i++) {
      const zk = await testClient({ connectString: own.server.connectString, sessionTimeoutMs: 30_000 });
      try {
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
