// The raw node-zookeeper-client, for the tests (to check what the server holds independently of
// rxzk) and for the bench (the contender rxzk is measured against). No vitest here.
import { once } from 'node:events';
import { createRawClient, type RawClient, type RawException } from '../../src/wire/nzc/raw-client.js';
import { withTimeout } from './waiting.js';

/** How {@link connectRaw} connects. */
export interface RawConnectOptions {
  /** Session timeout asked of the server. Default 10000. */
  sessionTimeoutMs?: number;
  /** The client's `spinDelay`: how long it waits between servers when reconnecting. Default 100. */
  reconnectDelayMs?: number;
  /** How long the first session may take before giving up (the client is then closed). Default 10000. */
  connectTimeoutMs?: number;
  /** Attach to this existing session (with its password) instead of creating one. */
  sessionId?: Buffer;
  sessionPassword?: Buffer;
}

/** A raw node-zookeeper-client, connected. */
export async function connectRaw(connectString: string, options: RawConnectOptions = {}): Promise<RawClient> {
  const client = createRawClient(connectString, {
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
    spinDelay: options.reconnectDelayMs ?? 100,
    retries: 0,
    ...(options.sessionId ? { sessionId: options.sessionId, sessionPassword: options.sessionPassword } : {}),
  });
  const connected = once(client, 'connected');
  client.connect();
  try {
    await withTimeout(connected, options.connectTimeoutMs ?? 10_000, `raw client could not connect to ${connectString}`);
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

/** One raw callback operation as a Promise. */
export function rawCall<T = unknown>(
  start: (callback: (error: RawException | null, value?: T | null) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, value) => (error ? reject(error) : resolve(value as T)));
  });
}

/** Closes a raw client and waits (briefly) until its socket is gone. */
export async function closeRaw(client: RawClient): Promise<void> {
  const state = client.getState().name;
  if (state === 'DISCONNECTED' || state === 'EXPIRED' || state === 'CLOSED') {
    client.close();
    return;
  }
  const done = once(client, 'disconnected');
  client.close();
  await withTimeout(done, 5_000, 'raw client did not close').catch(() => undefined);
}
