import { describe, expect, it } from 'vitest';
import { discover, register, type DataDecodeError, type ServiceInstance } from '../../../src/index.js';
import { eventually, record, testClient, testRoot } from '../../helpers/zk.js';
import { Peer, type PeerEvent } from './peers.js';

/** What Curator's ServiceDiscovery lists for a service, through the peer. */
async function curatorLists(peer: Peer, base: string, name: string): Promise<PeerEvent[]> {
  const from = peer.events.length;
  peer.send({ cmd: 'discover', base, name });
  const e = await peer.next((x) => x.event === 'instances', 'their instances', 30_000, from);
  return e.instances as PeerEvent[];
}

const ids = (instances: readonly ServiceInstance[]) => instances.map((i) => i.id);

describe('service discovery beside Curator x-discovery', () => {
  it('each side lists the other’s instances, and drops them when they go', async () => {
    const zk = await testClient();
    const base = `${await testRoot(zk, 'interop-discovery')}/services`;
    const service = `${base}/api`;
    const peer = await Peer.start('curator');

    // Curator registers; rxzk reads its ServiceInstance.
    peer.send({
      cmd: 'register',
      tag: 'c1',
      base,
      name: 'api',
      id: 'c1',
      address: '10.0.0.2',
      port: 8080,
      sslPort: 8443,
      payload: { zone: 'eu', weights: [1, 2] },
      uriSpec: '{scheme}://{address}:{port}/v1',
    });
    await peer.next((e) => e.event === 'registered' && e.tag === 'c1', 'their registration');
    const seen = record(discover(zk, service));
    await eventually(() => seen.values.at(-1)?.length === 1, 'rxzk to list their instance');
    expect(seen.values.at(-1)![0]).toEqual({
      id: 'c1',
      host: '10.0.0.2',
      port: 8080,
      sslPort: 8443,
      payload: { zone: 'eu', weights: [1, 2] },
      path: `${service}/c1`,
      registeredAt: expect.any(Number),
      format: 'curator',
      name: 'api',
      serviceType: 'DYNAMIC',
      uriSpec: '{scheme}://{address}:{port}/v1',
    });

    // rxzk registers in Curator's format; Curator lists both, rxzk too.
    const ours = record(
      register(zk, base, {
        id: 'r1',
        host: '10.0.0.1',
        port: 9090,
        sslPort: 9443,
        payload: { zone: 'us' },
        uriSpec: '{scheme}://{address}:{port}',
        format: 'curator',
        name: 'api',
      }),
    );
    await eventually(() => ours.values.at(-1)?.state === 'registered', 'our registration');
    await eventually(async () => (await curatorLists(peer, base, 'api')).length === 2, 'Curator to list ours too');
    const listed = await curatorLists(peer, base, 'api');
    expect(listed.find((i) => i.id === 'r1')).toEqual({
      id: 'r1',
      address: '10.0.0.1',
      name: 'api',
      port: 9090,
      sslPort: 9443,
      payload: { zone: 'us' },
      payloadClass: 'java.util.LinkedHashMap',
      uri: 'https://10.0.0.1:9090',
    });
    await eventually(() => ids(seen.values.at(-1)!).join() === 'c1,r1', 'rxzk to list both');
    expect(seen.values.at(-1)![1]).toMatchObject({ id: 'r1', host: '10.0.0.1', payload: { zone: 'us' }, format: 'curator' });

    // Each goes: the other side stops listing it.
    peer.send({ cmd: 'unregister', tag: 'c1' });
    await eventually(() => ids(seen.values.at(-1)!).join() === 'r1', 'rxzk to drop their instance');
    ours.subscription.unsubscribe();
    await eventually(async () => (await curatorLists(peer, base, 'api')).length === 0, 'Curator to drop ours');

    // An instance that goes with its client's session goes from rxzk's list too.
    peer.send({ cmd: 'register', tag: 'c2', base, name: 'api', id: 'c2', address: '10.0.0.3', port: 1 });
    await eventually(() => ids(seen.values.at(-1)!).join() === 'c2', 'rxzk to list their second instance');
    await peer.close();
    await eventually(() => seen.values.at(-1)!.length === 0, 'rxzk to drop it when their session closed');
    expect(seen.errors).toEqual([]);
  });

  it('lists one format only when asked, reporting the other as invalid', async () => {
    const zk = await testClient();
    const base = `${await testRoot(zk, 'interop-discovery-formats')}/services`;
    const service = `${base}/api`;
    const peer = await Peer.start('curator');
    peer.send({ cmd: 'register', tag: 'c1', base, name: 'api', id: 'c1', address: '10.0.0.2', port: 8080 });
    await peer.next((e) => e.event === 'registered', 'their registration');
    const ours = record(register(zk, service, { id: 'r1', host: '10.0.0.1', port: 9090 }));
    await eventually(() => ours.values.at(-1)?.state === 'registered', 'our registration');

    const reported: DataDecodeError[] = [];
    const rxzkOnly = record(discover(zk, service, { format: 'rxzk', onInvalid: (e) => reported.push(e) }));
    const curatorOnly = record(discover(zk, service, { format: 'curator', onInvalid: () => undefined }));
    await eventually(() => rxzkOnly.values.length > 0 && curatorOnly.values.length > 0, 'both lists');
    expect(ids(rxzkOnly.values.at(-1)!)).toEqual(['r1']);
    expect(ids(curatorOnly.values.at(-1)!)).toEqual(['c1']);
    expect(reported.map((e) => e.path)).toEqual([`${service}/c1`]);
  });
});
