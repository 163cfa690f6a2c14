import { describe, expect, it } from 'vitest';
import { serviceInstances, type DataDecodeError, type Stat, type ZNode } from '../../../src/index.js';
import { marbles } from '../../helpers/marbles.js';

const node = (name: string, data: string, mzxid = 1): ZNode => ({
  path: `/svc/${name}`,
  data: Buffer.from(data),
  stat: { czxid: 1n, mzxid: BigInt(mzxid) } as Stat,
});
const json = (id: string, port: number, payload: unknown = null) =>
  JSON.stringify({ id, host: '10.0.0.1', port, payload, registeredAt: 7 });
const instance = (id: string, port: number, payload: unknown = null) => ({
  id,
  host: '10.0.0.1',
  port,
  payload,
  path: `/svc/${id}`,
  registeredAt: 7,
  format: 'rxzk' as const,
});

describe('serviceInstances', () => {
  it(
    'decodes instance nodes sorted by id, and reports a malformed one once while skipping it',
    marbles((m) => {
      const reported: DataDecodeError[] = [];
      const maps = {
        a: new Map([['b1', node('b1', json('b1', 2))], ['a1', node('a1', json('a1', 1, { zone: 'eu' }))]]),
        b: new Map([['a1', node('a1', json('a1', 1, { zone: 'eu' }))], ['bad', node('bad', 'not json')]]),
        c: new Map([['a1', node('a1', json('a1', 1, { zone: 'us' }))], ['bad', node('bad', 'not json')]]),
        d: new Map([['x', node('x', JSON.stringify({ id: 'x', host: 'h' }))]]),
      };
      const source = m.cold('a-b-c-d|', maps);
      const expected = {
        A: [instance('a1', 1, { zone: 'eu' }), instance('b1', 2)],
        B: [instance('a1', 1, { zone: 'eu' })],
        C: [instance('a1', 1, { zone: 'us' })],
        D: [],
      };
      m.expect(source.pipe(serviceInstances((e) => reported.push(e)))).toBeObservable('A-B-C-D|', expected);
      m.expect(source).toHaveSubscriptions('^------!');
      m.flush();
      expect(reported.map((e) => [e.name, e.path])).toEqual([
        ['DataDecodeError', '/svc/bad'],
        ['DataDecodeError', '/svc/x'],
      ]);
    }),
  );
});

describe('serviceInstances with Curator x-discovery instances', () => {
  // As Curator's JsonInstanceSerializer writes them.
  const curatorJson = (id: string) =>
    JSON.stringify({
      name: 'api',
      id,
      address: '10.0.0.2',
      port: 8080,
      sslPort: 8443,
      payload: { '@class': 'java.util.LinkedHashMap', zone: 'eu' },
      registrationTimeUTC: 9,
      serviceType: 'DYNAMIC',
      uriSpec: { parts: [{ value: 'scheme', variable: true }, { value: '://x', variable: false }] },
    });
  const curatorInstance = (id: string) => ({
    id,
    host: '10.0.0.2',
    port: 8080,
    payload: { zone: 'eu' },
    path: `/svc/${id}`,
    registeredAt: 9,
    format: 'curator' as const,
    name: 'api',
    sslPort: 8443,
    serviceType: 'DYNAMIC',
    uriSpec: '{scheme}://x',
  });
  const both = new Map([
    ['c1', node('c1', curatorJson('c1'))],
    ['a1', node('a1', json('a1', 1))],
    ['ssl', node('ssl', JSON.stringify({ name: 'api', id: 'ssl', address: 'h', port: null, sslPort: 443 }))],
  ]);

  it(
    'reads both formats by default, address as host, and reports one without a port',
    marbles((m) => {
      const reported: string[] = [];
      const source = m.cold('a|', { a: both });
      m.expect(source.pipe(serviceInstances((e) => reported.push(e.message)))).toBeObservable('A|', {
        A: [instance('a1', 1), curatorInstance('c1')],
      });
      m.flush();
      expect(reported).toEqual([
        "/svc/ssl: not a service instance (a Curator instance needs string id and address, and an integer port; one with only an sslPort has no port rxzk can give)",
      ]);
    }),
  );

  it(
    'reads one format only when asked, reporting the other',
    marbles((m) => {
      const reported: string[] = [];
      const source = m.cold('a|', { a: new Map([...both].filter(([k]) => k !== 'ssl')) });
      m.expect(source.pipe(serviceInstances((e) => reported.push(e.message), 'curator'))).toBeObservable('A|', {
        A: [curatorInstance('c1')],
      });
      m.flush();
      expect(reported).toEqual(["/svc/a1: not a service instance in curator's format (it is in rxzk's)"]);
    }),
  );
});
