import { describe, expect, it } from 'vitest';
import { leadership, register } from '../../../src/index.js';
import { runCli, startCli } from '../../helpers/cli.js';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';

describe('rxzk services', () => {
  it('lists the live instances of a service, readable and --json', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-services');
    const base = `${root}/api`;
    // Recipes are cold: each subscription takes part, so each is subscribed exactly once.
    const regA = record(register(zk, base, { id: 'a1', host: '10.0.0.1', port: 8080, payload: { zone: 'eu' } }));
    const regB = record(register(zk, base, { id: 'b2', host: '10.0.0.2', port: 8081 }));
    await eventually(() => regA.values.at(-1)?.state === 'registered', 'a1 registered');
    await eventually(() => regB.values.at(-1)?.state === 'registered', 'b2 registered');

    const text = await runCli(['services', base]);
    expect(text.code).toBe(0);
    expect(text.stdout.trimEnd().split('\n').map((l) => l.replace(/ {2}since \S+$/, ''))).toEqual([
      'a1  10.0.0.1:8080  {"zone":"eu"}',
      'b2  10.0.0.2:8081',
    ]);

    const [json] = (await runCli(['services', base, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(json).toMatchObject({
      base,
      instances: [
        { id: 'a1', host: '10.0.0.1', port: 8080, payload: { zone: 'eu' }, path: `${base}/a1` },
        { id: 'b2', host: '10.0.0.2', port: 8081, payload: null, path: `${base}/b2` },
      ],
    });
    regA.subscription.unsubscribe();
    regB.subscription.unsubscribe();
  });

  it('says so when there are no instances', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-services-empty');
    expect(await runCli(['services', `${root}/none`])).toMatchObject({
      code: 0,
      stdout: '',
      stderr: `no instances under ${root}/none\n`,
    });
  });

  it('--watch follows instances as they come and go', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'cli-services-watch');
    const base = `${root}/api`;
    const watch = startCli(['services', base, '--watch', '--json']);
    await watch.waitForLine(/"instances":\[\]/, 'the empty list');
    const registration = record(register(zk, base, { id: 'w1', host: '127.0.0.1', port: 9000 }));
    await watch.waitForLine(/"id":"w1"/, 'w1 appears');
    registration.subscription.unsubscribe();
    const gone = watch.lines.length;
    await watch.waitForLine(/"instances":\[\]/, 'w1 leaves', 20_000, gone);
    watch.interrupt();
    expect((await watch.exited).code).toBe(0);
  });
});

describe('rxzk leader', () => {
  it('shows the leader and the candidates in line, without standing', async () => {
    const zk = await testClient();
    const other = await testClient();
    const root = await testRoot(zk, 'cli-leader');
    const election = `${root}/election`;
    expect(await runCli(['leader', election])).toMatchObject({
      code: 0,
      stdout: 'leader      (none)\ncandidates  (none)\n',
    });

    const firstRun = record(leadership(zk, election, { id: 'node-1' }));
    await eventually(() => firstRun.values.at(-1)?.isLeader === true, 'node-1 leads');
    const second = record(leadership(other, election, { id: 'node-2' }));

    const watch = startCli(['leader', election, '--watch', '--json']);
    await watch.waitForLine(/"candidates":\["node-1","node-2"\]/, 'both candidates');
    const text = await runCli(['leader', election]);
    expect(text.stdout).toBe('leader      node-1\ncandidates  node-1, node-2\n');

    // The leader withdraws: node-2 takes over, and the watching CLI shows the handover.
    firstRun.subscription.unsubscribe();
    const line = await watch.waitForLine(/"leaderId":"node-2"/, 'the handover');
    expect(JSON.parse(line)).toMatchObject({ path: election, leaderId: 'node-2', candidates: ['node-2'] });
    watch.interrupt();
    expect((await watch.exited).code).toBe(0);
    // The CLI did not stand: the only candidate left is node-2.
    expect(JSON.parse((await runCli(['leader', election, '--json'])).stdout)).toEqual({
      path: election,
      leaderId: 'node-2',
      candidates: ['node-2'],
    });
    second.subscription.unsubscribe();
  });
});
