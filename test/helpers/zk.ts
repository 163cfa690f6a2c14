import { randomUUID } from 'node:crypto';
import { firstValueFrom, filter, timeout, type Observable, type Subscription } from 'rxjs';
import { inject, onTestFinished } from 'vitest';
import { connect, type ConnectOptions, type ZkClient } from '../../src/index.js';

// Tests import their waits with the client helpers.
export { eventually } from './waiting.js';

/** Connect string of the standalone server the integration run shares (see global-setup.ts). */
export function sharedConnectString(): string {
  return inject('zkConnectString');
}

/**
 * A connected client that is closed when the current test ends. Defaults to the shared server
 * and a short session timeout.
 */
export async function testClient(options: ConnectOptions & { connectString?: string } = {}): Promise<ZkClient> {
  const zk = testConnect(options);
  await zk.ready({ timeoutMs: 20_000 });
  return zk;
}

/** {@link testClient}, returned at once: for a test that watches the client connect. */
export function testConnect(options: ConnectOptions & { connectString?: string } = {}): ZkClient {
  const { connectString = sharedConnectString(), ...rest } = options;
  const zk = connect(connectString, { sessionTimeoutMs: 6_000, ...rest });
  onTestFinished(() => zk.close());
  return zk;
}

/**
 * A fresh, unique root node for the current test (`/rxzk-test/<name>-<uuid>`), deleted with its
 * subtree when the test ends.
 */
export async function testRoot(zk: ZkClient, name = 'test'): Promise<string> {
  const root = `/rxzk-test/${name.replace(/[^\w-]/g, '_')}-${randomUUID()}`;
  await zk.create(root, null, { parents: true });
  onTestFinished(async () => {
    const cleaner = connect(sharedConnectString());
    try {
      await cleaner.ready({ timeoutMs: 10_000 });
      await cleaner.delete(root, { recursive: true }).catch(() => undefined);
    } finally {
      await cleaner.close();
    }
  });
  return root;
}

/** The first value of `source` that satisfies `predicate`; fails naming `what` after `timeoutMs`. */
export function nextMatching<T>(
  source: Observable<T>,
  predicate: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  return firstValueFrom(
    source.pipe(
      filter(predicate),
      timeout({
        first: timeoutMs,
        with: () => {
          throw new Error(`timed out waiting for ${what}`);
        },
      }),
    ),
  );
}

/** Records every notification of `source` until the test ends (or `stop()`). */
export function record<T>(source: Observable<T>): {
  values: T[];
  errors: unknown[];
  completed: () => boolean;
  subscription: Subscription;
} {
  const values: T[] = [];
  const errors: unknown[] = [];
  let done = false;
  const subscription = source.subscribe({
    next: (v) => values.push(v),
    error: (e: unknown) => errors.push(e),
    complete: () => (done = true),
  });
  onTestFinished(() => subscription.unsubscribe());
  return { values, errors, completed: () => done, subscription };
}
