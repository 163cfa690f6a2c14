import { describe, expect, it } from 'vitest';
import { AuthFailedError, connect, type ConnectionState } from '../../../src/index.js';
import { eventually, record, sharedConnectString } from '../../helpers/zk.js';

describe('credentials the server rejects', () => {
  it('end in auth-failed: streams error and every operation rejects with AuthFailedError', async () => {
    const zk = connect(sharedConnectString(), {
      sessionTimeoutMs: 6_000,
      auth: [{ scheme: 'no-such-scheme', credentials: 'whatever' }],
    });
    try {
      const states = record(zk.state$);
      const data = record(zk.data$('/'));
      const pending = zk.get('/').catch((e: unknown) => e);
      // The session is not announced until the server has taken the credentials.
      await expect(zk.ready({ timeoutMs: 20_000 })).rejects.toBeInstanceOf(AuthFailedError);
      await eventually(() => zk.state === 'auth-failed', 'auth-failed');
      expect(states.values).toEqual(['connecting', 'auth-failed'] satisfies ConnectionState[]);
      expect(await pending).toBeInstanceOf(AuthFailedError);
      await eventually(() => data.errors.length === 1, 'data$ to error');
      expect(data.errors[0]).toBeInstanceOf(AuthFailedError);
      await expect(zk.exists('/')).rejects.toBeInstanceOf(AuthFailedError);
      const late = record(zk.children$('/'));
      expect(late.errors[0]).toBeInstanceOf(AuthFailedError);
    } finally {
      await zk.close();
    }
    expect(zk.state).toBe('closed');
  });
});
