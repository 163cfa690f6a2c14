import { describe, expect, it, onTestFinished } from 'vitest';
import { lock } from '../../../src/index.js';
import { watchersOf } from '../../helpers/watches.js';
import { eventually, record, sharedConnectString, testClient, testRoot } from '../../helpers/zk.js';

/** Collects this process's RxzkWarnings until the test ends. */
function warnings(): string[] {
  const seen: string[] = [];
  const listen = (warning: Error) => {
    if (warning.name === 'RxzkWarning') seen.push(warning.message);
  };
  process.on('warning', listen);
  onTestFinished(() => void process.off('warning', listen));
  return seen;
}

describe('a child in no known naming scheme', () => {
  it('is waited for when sequential, reported once, and never silently ignored', async () => {
    const zk = await testClient();
    const path = `${await testRoot(zk, 'interop-strangers')}/lock`;
    const seen = warnings();
    // Some other client's sequential node, in a naming nobody knows, and a plain child.
    const stranger = await zk.create(`${path}/someone-else-`, 'x', { mode: 'ephemeral-sequential', parents: true });
    await zk.create(`${path}/notes`, 'x');

    const states = record(lock(zk, path));
    await eventually(async () => (await watchersOf(sharedConnectString(), stranger)).has(BigInt(`0x${zk.sessionId!}`).toString(16)), 'the lock to wait on the stranger');
    expect(states.values.map((s) => s.state)).toEqual(['waiting']);
    await eventually(() => seen.length === 2, 'both children to be reported');
    expect(seen.sort()).toEqual([
      `lock ${path}: child notes follows no known naming scheme (rxzk, Curator, kazoo) and has no sequence number; it cannot be queued and is left out`,
      `lock ${path}: child someone-else-0000000000 follows no known naming scheme (rxzk, Curator, kazoo); counted as a contender at its sequence number`,
    ]);

    await zk.delete(stranger);
    await eventually(() => states.values.at(-1)?.state === 'acquired', 'the lock once the stranger is gone');
    // Reported once, however often the queue was read.
    expect(seen).toHaveLength(2);
  });
});
