import { describe, expect, it } from 'vitest';
import { election$, leadership, lock, type Leadership } from '../../../src/index.js';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';
import { Peer } from './peers.js';

/**
 * Foreign participants keep their ids in their nodes' data: rxzk names them in `leaderId` and
 * `candidates`, and writes its own id the same way, so that Curator's and kazoo's participant
 * lists name rxzk too.
 */
describe.each(['curator', 'kazoo'] as const)('ids beside %s', (kind) => {
  it('a foreign leader and rxzk candidates name each other', async () => {
    const zk = await testClient();
    const path = `${await testRoot(zk, `interop-ids-${kind}`)}/election`;
    const peer = await Peer.start(kind);
    peer.send({ cmd: 'hold', tag: 'l', recipe: 'leader', path, id: `${kind}-leader` });
    await peer.next((e) => e.tag === 'l' && e.event === 'acquired', 'their leader');

    // One candidate in rxzk's naming, one in theirs: both follow the foreign leader.
    const plain = record(leadership(zk, path, { id: 'rxzk-plain' }));
    const named = record(leadership(await testClient(), path, { id: 'rxzk-named', scheme: kind }));
    const expected: Leadership = {
      isLeader: false,
      leaderId: `${kind}-leader`,
      candidates: [`${kind}-leader`, 'rxzk-plain', 'rxzk-named'],
    };
    await eventually(() => named.values.at(-1)?.candidates.length === 3, 'the last candidate to see all three');
    expect(named.values.at(-1)).toEqual(expected);
    expect(plain.values.at(-1)?.leaderId).toBe(`${kind}-leader`);
    const observed = record(election$(zk, path));
    await eventually(() => observed.values.at(-1)?.candidates.length === 3, 'an observer to see all three');
    expect(observed.values.at(-1)).toEqual({ leaderId: `${kind}-leader`, candidates: expected.candidates });

    // Their participant list names rxzk's candidates by the ids written in the nodes.
    const from = peer.events.length;
    peer.send({ cmd: 'participants', recipe: 'leader', path });
    const listed = await peer.next((e) => e.event === 'participants', 'their participant list', 30_000, from);
    const theirView = listed.ids as string[];
    if (kind === 'kazoo') {
      // kazoo's Election sees its own names only: the candidate named its way.
      expect(theirView).toEqual([`${kind}-leader`, 'rxzk-named']);
    } else {
      // Curator lists every child, in its own order: the one named its way in place, rxzk's own
      // names (no `latch-` in them) last.
      expect(theirView).toEqual([`${kind}-leader`, 'rxzk-named', 'rxzk-plain']);
    }
  });

  it('a lock holder in their naming shows in their contenders with its id', async () => {
    const zk = await testClient();
    const path = `${await testRoot(zk, `interop-lock-ids-${kind}`)}/lock`;
    const held = record(lock(zk, path, { scheme: kind, id: 'rxzk-holder' }));
    await eventually(() => held.values.at(-1)?.state === 'acquired', 'our lock');
    const peer = await Peer.start(kind);
    const from = peer.events.length;
    peer.send({ cmd: 'participants', recipe: 'lock', path });
    const listed = (await peer.next((e) => e.event === 'participants', 'their contenders', 30_000, from)).ids as string[];
    // kazoo's contenders() gives the ids in the nodes; Curator's getParticipantNodes() the paths.
    if (kind === 'kazoo') expect(listed).toEqual(['rxzk-holder']);
    else expect(listed).toEqual([expect.stringMatching(new RegExp(`^${path}/_c_[0-9a-f-]{36}-lock-\\d{10}$`))]);
    expect((await zk.get(`${path}/${(await zk.getChildren(path))[0]}`)).data.toString()).toBe('rxzk-holder');
  });
});
