import { once } from 'node:events';
import { onTestFinished } from 'vitest';
import { WireSession } from '../../src/wire/wire-session.js';
import type { WireCallback, WireClient, WireFailure, WireSessionOptions } from '../../src/wire/wire-client.js';
import { withTimeout } from './waiting.js';
import { sharedConnectString } from './zk.js';

/**
 * A started WireSession, connected, closed when the current test ends. Defaults to the shared
 * server, a short session timeout and no reconnect jitter.
 */
export async function testSession(options: WireSessionOptions & { connectString?: string } = {}): Promise<WireSession> {
  const { connectString = sharedConnectString(), ...rest } = options;
  const session = new WireSession(connectString, { sessionTimeoutMs: 6000, reconnectJitterMs: 0, reconnectDelayMs: 100, ...rest });
  onTestFinished(() => session.close(1000));
  const connected = once(session, 'connected');
  session.start();
  await withTimeout(connected, 20_000, `wire session could not connect to ${connectString}`);
  return session;
}

type Operation = {
  [K in keyof WireClient]: WireClient[K] extends (...args: [...infer _A, WireCallback<infer _R>]) => void ? K : never;
}[keyof WireClient];
type ArgsOf<K extends Operation> = WireClient[K] extends (...args: [...infer A, WireCallback<infer _R>]) => void ? A : never;
type ResultOf<K extends Operation> = WireClient[K] extends (...args: [...infer _A, WireCallback<infer R>]) => void ? R : never;

/** Runs one wire operation as a promise: `op(s, 'getData', path, null)`. */
export function op<K extends Operation>(session: WireClient, method: K, ...args: ArgsOf<K>): Promise<ResultOf<K>> {
  return new Promise((resolve, reject) => {
    (session[method] as (...a: unknown[]) => void).call(session, ...args, (error: WireFailure | null, value?: ResultOf<K>) =>
      error ? reject(error) : resolve(value as ResultOf<K>),
    );
  });
}

/** The failure of one wire operation that must fail. */
export function fails<K extends Operation>(session: WireClient, method: K, ...args: ArgsOf<K>): Promise<WireFailure> {
  return op(session, method, ...args).then(
    () => {
      throw new Error(`expected ${method} to fail`);
    },
    (error: WireFailure) => error,
  );
}

/** Resolves with the next `event` of the session, or fails naming it after `timeoutMs`. */
export function nextEvent(session: WireSession, event: 'connected' | 'disconnected' | 'expired' | 'authFailed', timeoutMs = 20_000): Promise<unknown> {
  return withTimeout(once(session, event), timeoutMs, `no '${event}' from the wire session within ${timeoutMs} ms`);
}
