import { describe, expect, it } from 'vitest';
import { OperationTimeoutError, type ConnectOptions, type ZkClient } from '../../../src/index.js';
import { freePort } from '../../../src/testing/index.js';
import { testProxy } from '../../helpers/own-zookeeper.js';
import { silentServer } from '../../helpers/silent-server.js';
import { eventually, sharedConnectString, testClient, testConnect } from '../../helpers/zk.js';

const client = (connectString: string, options: ConnectOptions = {}): ZkClient =>
  testConnect({ connectString, sessionTimeoutMs: 4_000, ...options });

describe('why a connection cannot be made', () => {
  it('a refused connection: lastConnectError is the socket error, and ready() says it', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const zk = client(address);
    expect(zk.lastConnectError).toBeNull();
    expect(zk.failedConnectAttempts).toBe(0);
    await eventually(() => zk.failedConnectAttempts >= 1, 'a failed attempt');
    expect(zk.lastConnectError?.message).toBe(`connect ECONNREFUSED ${address}`);
    expect((zk.lastConnectError as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(zk.state).toBe('connecting');

    const error = await zk.ready({ timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect((error as Error).message).toBe(
      `ready: no session with ${address} within 300 ms (state: connecting; last connection error: connect ECONNREFUSED ${address})`,
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('an unknown host: the resolver error names it', async () => {
    const zk = client('no-such-host.invalid:2181');
    await eventually(() => zk.failedConnectAttempts >= 1, 'a failed attempt');
    // ENOTFOUND from a resolver that answers, EAI_AGAIN from one that cannot be reached.
    expect(zk.lastConnectError?.message).toMatch(/^getaddrinfo (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid$/);
  });

  it('a server that accepts but never answers: no session reply before the connect deadline', async () => {
    const address = await silentServer();
    const zk = client(address, { connectTimeoutMs: 300 });
    await eventually(() => zk.failedConnectAttempts >= 2, 'two failed attempts');
    expect(zk.lastConnectError?.message).toBe('no session reply within 300 ms');
  });

  it('a session resets the count of failed attempts; the last error is kept', async () => {
    const proxy = await testProxy(sharedConnectString());
    await proxy.refuse();
    const zk = client(proxy.connectString);
    await eventually(() => zk.failedConnectAttempts >= 2, 'two failed attempts');
    await proxy.restore();
    await zk.ready({ timeoutMs: 20_000 });
    expect(zk.failedConnectAttempts).toBe(0);
    expect(zk.lastConnectError?.message).toBe(`connect ECONNREFUSED ${proxy.connectString}`);
  });

  it('a client that never failed has no error', async () => {
    const zk = await testClient();
    expect(zk.failedConnectAttempts).toBe(0);
    expect(zk.lastConnectError).toBeNull();
  });
});
