import { describe, expect, it } from 'vitest';
import { configValues, configWriteOutcome, InvalidConfigError, type ZNode } from '../../../src/index.js';
import { parseConfig } from '../../../src/advanced.js';
import { type WriteAttempt } from '../../../src/advanced.js';
import { cases } from '../../helpers/marbles.js';
import { znode } from '../../helpers/nodes.js';

interface Limits {
  rps: number;
}

function parseLimits(raw: unknown): Limits {
  const rps = (raw as { rps?: unknown } | null)?.rps;
  if (typeof rps !== 'number' || rps <= 0) throw new Error('rps must be a positive number');
  return { rps };
}

/** `/cfg` holding `data` at `version` (mzxid = czxid + version). */
const node = (data: string, version = 0, czxid = 5): ZNode => znode('/cfg', data, czxid, czxid + version);

const nodes = {
  n: null,
  a: node('{"rps":10}', 0),
  A: node('{"rps": 10}', 1), // same value, other text
  s: node('{"rps":10}', 2), // same text, new version
  b: node('{"rps":20}', 3),
  j: node('{"rps":', 4), // not JSON
  k: node('{"rps":-1}', 5), // rejected by parse
  D: node('{"rps":1}', 0), // created holding the defaults
};
const values = { d: { rps: 1 }, a: { rps: 10 }, b: { rps: 20 } };

describe('configValues', () => {
  cases(
    'valid versions pass, invalid ones are reported and skipped',
    (m, c) => {
      const reported: string[] = [];
      const source = m.cold(c.source, nodes);
      const operator = configValues(parseLimits, {
        ...(c.defaults ? { defaults: { rps: 1 } } : {}),
        onInvalid: (e) => reported.push(e.message),
      });
      m.expect(source.pipe(operator), c.unsub).toBeObservable(c.expected, values);
      m.expect(source).toHaveSubscriptions(c.subs);
      m.flush();
      expect(reported).toEqual(c.reported);
    },
    {
      'defaults while absent, then the value, then defaults again when deleted': {
        defaults: true,
        source: 'n-a-b-n-|',
        expected: 'd-a-b-d-|',
        subs: '^-------!',
        reported: [],
      },
      'without defaults nothing comes while absent, and a deletion keeps the last value': {
        defaults: false,
        source: 'n-a-n-b|',
        expected: '--a---b|',
        subs: '^------!',
        reported: [],
      },
      'an invalid write is reported and the last good value stays': {
        defaults: true,
        source: 'a-j-k-b|',
        expected: 'a-----b|',
        subs: '^------!',
        reported: [
          '/cfg (version 4): not valid JSON (Unexpected end of JSON input)',
          '/cfg (version 5): rejected by parse (rps must be a positive number)',
        ],
      },
      'an invalid first value falls back to defaults': {
        defaults: true,
        source: 'k-b|',
        expected: 'd-b|',
        subs: '^--!',
        reported: ['/cfg (version 5): rejected by parse (rps must be a positive number)'],
      },
      'the same content again is not repeated, an equal value in other text is': {
        defaults: false,
        source: 'a-s-A|',
        expected: 'a---a|',
        subs: '^----!',
        reported: [],
      },
      'the same invalid version is reported once': {
        defaults: false,
        source: 'k-k-a|',
        expected: '----a|',
        subs: '^----!',
        reported: ['/cfg (version 5): rejected by parse (rps must be a positive number)'],
      },
      'a node created holding the defaults is no change': {
        defaults: true,
        source: 'n-D-b|',
        expected: 'd---b|',
        subs: '^----!',
        reported: [],
      },
      'unsubscribing tears down the source': { defaults: true, source: 'n-a-b-', unsub: '^--!', expected: 'd-a', subs: '^--!', reported: [] },
      'errors pass through': { defaults: false, source: 'a-#', expected: 'a-#', subs: '^-!', reported: [] },
    },
  );
});

describe('parseConfig', () => {
  it('names the path and version, and keeps the cause', () => {
    let error: unknown;
    try {
      parseConfig(node('{"rps":0}', 7), parseLimits);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).message).toBe('/cfg (version 7): rejected by parse (rps must be a positive number)');
    expect(((error as InvalidConfigError).cause as Error).message).toBe('rps must be a positive number');
    expect((error as InvalidConfigError).path).toBe('/cfg');
  });
});

describe('configWriteOutcome', () => {
  const ours = Buffer.from('{"rps":30}');
  const attempt = (expectedVersion: number, czxid = 5n): WriteAttempt => ({ expectedVersion, czxid, data: ours, token: 't' });
  it.each([
    ['the next version holds our data', node('{"rps":30}', 4), attempt(3), 'applied'],
    ['the next version holds other data', node('{"rps":40}', 4), attempt(3), 'not-applied'],
    ['still at the expected version', node('{"rps":10}', 3), attempt(3), 'pending'],
    ['moved on further', node('{"rps":30}', 5), attempt(3), 'unknown'],
    ['deleted and created again', node('{"rps":30}', 4, 77), attempt(3), 'unknown'],
    ['deleted', null, attempt(3), 'unknown'],
  ] as const)('%s', (_name, current, tried, expected) => {
    expect(configWriteOutcome(current, tried)).toBe(expected);
  });
});
