import { describe, expect, it } from 'vitest';
import { serversOf } from '../../../src/index.js';

describe('serversOf', () => {
  it('gives the addresses of a connect string, trimmed, without its namespace', () => {
    expect(serversOf('a:2181')).toEqual(['a:2181']);
    expect(serversOf(' a:2181, b:2182 ,c:2183/app/ns')).toEqual(['a:2181', 'b:2182', 'c:2183']);
    expect(serversOf('[::1]:2181,a:1/')).toEqual(['[::1]:2181', 'a:1']);
    expect(serversOf('')).toEqual([]);
  });
});
