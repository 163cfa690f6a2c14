import { firstValueFrom, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DataDecodeError, decodeJson, json, utf8, type ZNode } from '../../../src/index.js';
import { cases } from '../../helpers/marbles.js';
import { znode } from '../../helpers/nodes.js';

const nodes: Record<string, ZNode | null> = {
  n: null,
  h: znode('/motd', 'héllo wörld'),
  e: znode('/motd', ''),
  j: znode('/cfg', '{"rps":100,"tags":["a"]}'),
  k: znode('/cfg', '[1,2]'),
  s: znode('/cfg', '"just a string"'),
  x: znode('/cfg', 'not json'),
  z: znode('/cfg', ''),
};

function parseErrorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

describe('utf8', () => {
  cases(
    'decodes data as UTF-8 text; null stays null',
    (m, c) => {
      const source = m.cold(c.source, nodes);
      m.expect(source.pipe(utf8()), c.unsubscribe).toBeObservable(c.expected, {
        n: null,
        h: 'héllo wörld',
        e: '',
      });
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'absent, text, empty, absent': { source: 'n-h-e-n|', expected: 'n-h-e-n|', subs: '^------!' },
      'unsubscribing tears down the source': { source: 'h-n-h-', unsubscribe: '^--!', expected: 'h-n', subs: '^--!' },
      'errors pass through': { source: 'h-#', expected: 'h-#', subs: '^-!' },
    },
  );
});

describe('json', () => {
  const decoded = { n: null, j: { rps: 100, tags: ['a'] }, k: [1, 2], s: 'just a string' };

  cases(
    'decodes data as JSON; null stays null; malformed JSON errors the stream naming the path',
    (m, c) => {
      const source = m.cold(c.source, nodes);
      m.expect(source.pipe(json()), c.unsubscribe).toBeObservable(c.expected, decoded, c.error);
      m.expect(source).toHaveSubscriptions(c.subs);
    },
    {
      'absent, object, array, string': { source: 'n-j-k-s|', expected: 'n-j-k-s|', subs: '^------!' },
      'malformed JSON errors with DataDecodeError naming the path': {
        source: 'j-x-j-',
        expected: 'j-#',
        error: new DataDecodeError(`/cfg: data is not valid JSON (${parseErrorOf('not json')})`),
        subs: '^-!',
      },
      'empty data is malformed JSON': {
        source: 'n-z-',
        expected: 'n-#',
        error: new DataDecodeError(`/cfg: data is not valid JSON (${parseErrorOf('')})`),
        subs: '^-!',
      },
      'unsubscribing tears down the source': { source: 'j-n-j-', unsubscribe: '^--!', expected: 'j-n', subs: '^--!' },
    },
  );

  it('the decode error is typed and carries the path and the parser error as its cause', async () => {
    const error = await firstValueFrom(of(nodes['x']!).pipe(json())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDecodeError);
    const decodeError = error as DataDecodeError;
    expect(decodeError.name).toBe('DataDecodeError');
    expect(decodeError.path).toBe('/cfg');
    expect(decodeError.cause).toBeInstanceOf(SyntaxError);
    expect(() => decodeJson(nodes['x']!)).toThrow(DataDecodeError);
  });
});
