import { once } from 'node:events';
import { createRawClient, type RawClient, type RawException } from '../../src/wire/nzc/raw-client.js';

/** A connected node-zookeeper-client, for checking what the server holds independently of rxzk. */
export async function connectRaw(
  connectString: string,
  options: { sessionTimeoutMs?: number; sessionId?: Buffer; sessionPassword?: Buffer } = {},
): Promise<RawClient> {
  const client = createRawClient(connectString, {
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
    spinDelay: 100,
    retries: 0,
    ...(options.sessionId ? { sessionId: options.sessionId, sessionPassword: options.sessionPassword } : {}),
  });
  const connected = once(client, 'connected');
  client.connect();
  await withTimeout(connected, 10_000, `raw client could not connect to ${connectString}`);
  return client;
}

/** Promisifies one raw callback operation. */
export function rawCall<T>(
  start: (callback: (error: RawException | null, value?: T | null) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, value) => (error ? reject(error) : resolve(value as T)));
  });
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a raw client and waits until its socket is gone. */
export async function closeRaw(client: RawClient): Promise<void> {
  const state = client.getState().name;
  if (state === 'DISCONNECTED' || state === 'EXPIRED') {
    client.close();
    return;
  }
  const done = once(client, 'disconnected');
  client.close();
  await withTimeout(done, 5_000, 'raw client did not close').catch(() => undefined);
}
