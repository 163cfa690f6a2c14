// Which ZooKeeper `npm test` writes to. `ZK_CONNECT` is the command line's and the demos' target:
// a shell that exported it for `rxzk` must not turn the test run (which creates and recursively
// deletes nodes under /rxzk-test) onto that ensemble. Only `RXZK_TEST_ZOOKEEPER` does that.
import { describe, expect, it } from 'vitest';
import type { TestProject } from 'vitest/node';
import { fourLetter } from '../../src/admin/four-letter.js';
import setupTestRun from '../helpers/global-setup.js';
import { sharedConnectString } from '../helpers/zk.js';

/** Runs `body` with these environment variables set (or, for `undefined`, unset), then puts them back. */
async function withEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    return await body();
  } finally {
    apply(saved);
  }
}

/** Runs the test run's global setup as vitest does, returning the server it provides and its teardown. */
async function setUpTestRun(): Promise<{ connectString: string; teardown: () => Promise<void> }> {
  let connectString = '';
  const project = { provide: (_key: string, value: string) => (connectString = value) } as unknown as TestProject;
  const teardown = await setupTestRun(project);
  return { connectString, teardown };
}

describe("the test run's ZooKeeper", () => {
  it('is never the ensemble ZK_CONNECT names: with it exported, the run starts a server of its own', async () => {
    // The shared server stands for the user's ensemble, exported for the command line.
    const theirs = sharedConnectString();
    const run = await withEnv({ ZK_CONNECT: theirs, RXZK_TEST_ZOOKEEPER: undefined }, setUpTestRun);
    try {
      expect(run.connectString).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(run.connectString).not.toBe(theirs);
    } finally {
      await run.teardown();
    }
  });

  it('is the ensemble RXZK_TEST_ZOOKEEPER names, when it is set', async () => {
    const ours = sharedConnectString();
    const run = await withEnv({ ZK_CONNECT: '127.0.0.1:1', RXZK_TEST_ZOOKEEPER: ours }, setUpTestRun);
    await run.teardown();
    expect(run.connectString).toBe(ours);
    // Nothing was started, and the teardown leaves the ensemble someone else runs running.
    expect(await fourLetter(ours, 'ruok')).toBe('imok');
  });
});
