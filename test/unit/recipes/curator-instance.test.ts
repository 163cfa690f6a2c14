import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/index.js';
import { curatorInstanceData, formatUriSpec, fromCuratorPayload, parseUriSpec, toCuratorPayload } from '../../../src/advanced.js';

describe('curatorInstanceData', () => {
  it('writes the JSON Curator’s JsonInstanceSerializer writes, field for field', () => {
    // As Curator 5.4 serialized ServiceInstance.builder().name("api").id("c1").address("10.0.0.2")
    // .port(8080).sslPort(8443).payload(map).uriSpec(new UriSpec("{scheme}://{address}:{port}/x")).
    const curators =
      '{"name":"api","id":"c1","address":"10.0.0.2","port":8080,"sslPort":8443,"payload":{"@class":"java.util.LinkedHashMap","zone":"eu"},"registrationTimeUTC":1796289749040,"serviceType":"DYNAMIC","uriSpec":{"parts":[{"value":"scheme","variable":true},{"value":"://","variable":false},{"value":"address","variable":true},{"value":":","variable":false},{"value":"port","variable":true},{"value":"/x","variable":false}]}}';
    const ours = curatorInstanceData(
      { id: 'c1', host: '10.0.0.2', port: 8080, sslPort: 8443, payload: { zone: 'eu' }, uriSpec: '{scheme}://{address}:{port}/x' },
      'api',
      1796289749040,
    );
    expect(ours).toBe(curators);
  });

  it('writes null for what is not given, as Curator does', () => {
    expect(JSON.parse(curatorInstanceData({ id: 'c3', host: 'h', port: 1 }, 'api', 5))).toEqual({
      name: 'api',
      id: 'c3',
      address: 'h',
      port: 1,
      sslPort: null,
      payload: null,
      registrationTimeUTC: 5,
      serviceType: 'DYNAMIC',
      uriSpec: null,
    });
  });
});

describe('Curator payloads', () => {
  const table: Array<[string, unknown, unknown]> = [
    ['a map carries its class', { zone: 'eu' }, { '@class': 'java.util.LinkedHashMap', zone: 'eu' }],
    ['a list is wrapped with its class', [1, 2], ['java.util.ArrayList', [1, 2]]],
    ['a string as it is', 'hello', 'hello'],
    ['a number as it is', 42, 42],
    ['none is null', undefined, null],
  ];
  it.each(table)('%s, and reads back as plain JSON', (_what, plain, curators) => {
    expect(toCuratorPayload(plain)).toEqual(curators);
    expect(fromCuratorPayload(curators)).toEqual(plain ?? null);
  });

  it('keeps the class of an application payload', () => {
    const typed = { '@class': 'com.example.InstanceDetails', description: 'x' };
    expect(toCuratorPayload(typed)).toEqual(typed);
    expect(fromCuratorPayload(typed)).toEqual(typed);
  });
});

describe('UriSpec', () => {
  it('parses a template as Curator does, and formats it back', () => {
    const parts = parseUriSpec('{scheme}://{ address }:{port}/v1');
    expect(parts).toEqual([
      { value: 'scheme', variable: true },
      { value: '://', variable: false },
      { value: 'address', variable: true },
      { value: ':', variable: false },
      { value: 'port', variable: true },
      { value: '/v1', variable: false },
    ]);
    expect(formatUriSpec(parts)).toBe('{scheme}://{address}:{port}/v1');
  });

  it.each([
    ['{a{b}}', 'a { inside a variable'],
    ['a}', 'a } without its {'],
    ['{a', 'the last variable is not closed with }'],
  ])('refuses %s: %s', (raw, why) => {
    expect(() => parseUriSpec(raw)).toThrow(InvalidArgumentError);
    expect(() => parseUriSpec(raw)).toThrow(`uriSpec ${JSON.stringify(raw)}: ${why}`);
  });
});
