import { describe, expect, it } from 'vitest';
import { parseAddress, parseConnectString } from '../../../src/admin/connect-string.js';
import { InvalidArgumentError, serversOf } from '../../../src/index.js';

describe('parseConnectString', () => {
  it('gives the servers, trimmed and in order, and the namespace suffix as written', () => {
    expect(parseConnectString('a:2181')).toEqual({ servers: ['a:2181'], namespace: undefined });
    expect(parseConnectString(' a:2181, b:2182 ,[::1]:2183/app/ns ')).toEqual({
      servers: ['a:2181', 'b:2182', '[::1]:2183'],
      namespace: '/app/ns',
    });
    expect(parseConnectString('a:1/')).toEqual({ servers: ['a:1'], namespace: '/' });
  });

  it('refuses what is not host:port, naming the call and the entry', () => {
    expect(() => parseConnectString('a:1,,b:2', 'rxzk')).toThrow(
      new InvalidArgumentError('rxzk: "" in the connect string is not host:port'),
    );
    expect(() => parseConnectString('a:0')).toThrow('connect: "a:0" in the connect string has port 0; a port is 1 to 65535');
    expect(() => parseConnectString(' ')).toThrow('connect: expected a connect string like "127.0.0.1:2181", got " "');
  });
});

describe('serversOf', () => {
  it('gives the addresses of a connect string, trimmed, without its namespace', () => {
    expect(serversOf('a:2181')).toEqual(['a:2181']);
    expect(serversOf(' a:2181, b:2182 ,c:2183/app/ns')).toEqual(['a:2181', 'b:2182', 'c:2183']);
    expect(serversOf('[::1]:2181,a:1/')).toEqual(['[::1]:2181', 'a:1']);
    expect(serversOf('')).toEqual([]);
  });
});

describe('parseAddress', () => {
  it('splits host and port, IPv6 in brackets', () => {
    expect(parseAddress(' 127.0.0.1:2181')).toEqual({ host: '127.0.0.1', port: 2181 });
    expect(parseAddress('[::1]:2181')).toEqual({ host: '::1', port: 2181 });
    expect(() => parseAddress('localhost')).toThrow("expected host:port, got 'localhost'");
  });
});
