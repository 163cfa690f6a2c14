import { describe, expect, it } from 'vitest';
import { jsonReplacer, statToJson } from '../../../src/index.js';
import { stat } from '../../helpers/nodes.js';

describe('statToJson and jsonReplacer', () => {
  it('statToJson writes the zxids as decimal strings, so JSON.stringify takes a stat', () => {
    const s = stat(4294967302, 4294967311, { pzxid: 2n ** 63n - 1n, version: 9, ephemeralOwner: '1a2b' });
    expect(() => JSON.stringify(s)).toThrow(TypeError);
    expect(JSON.parse(JSON.stringify(statToJson(s)))).toEqual({
      czxid: '4294967302',
      mzxid: '4294967311',
      pzxid: '9223372036854775807',
      ctime: 0,
      mtime: 0,
      version: 9,
      cversion: 0,
      aversion: 0,
      ephemeralOwner: '1a2b',
      dataLength: 0,
      numChildren: 0,
    });
  });

  it('jsonReplacer writes every bigint as a decimal string, however deep', () => {
    const value = { state: 'acquired', fencingToken: 4294967302n, nested: [{ zxid: 1n }], n: 1 };
    expect(JSON.stringify(value, jsonReplacer)).toBe(
      '{"state":"acquired","fencingToken":"4294967302","nested":[{"zxid":"1"}],"n":1}',
    );
    expect(JSON.parse(JSON.stringify({ stat: stat(5, 6) }, jsonReplacer)).stat.czxid).toBe('5');
  });
});
