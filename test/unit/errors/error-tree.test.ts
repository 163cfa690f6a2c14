import { describe, expect, it } from 'vitest';
import * as advanced from '../../../src/advanced.js';
import * as rxzk from '../../../src/index.js';
import * as testing from '../../../src/testing/index.js';
import { ConnectError } from '../../../src/errors/tool-errors.js';

/** Every class a module exports whose name ends in `Error`. */
function errorClasses(module: Record<string, unknown>): [string, new (message: string) => Error][] {
  return Object.entries(module).filter(
    (entry): entry is [string, new (message: string) => Error] => entry[0].endsWith('Error') && typeof entry[1] === 'function',
  );
}

describe('the ZkError tree', () => {
  const classes = [...errorClasses(rxzk), ...errorClasses(advanced), ...errorClasses(testing), ['ConnectError', ConnectError] as const];

  it('holds every error class rxzk, rxzk/advanced and rxzk/testing export, and the command line raises', () => {
    expect(classes.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'DataDecodeError',
        'FourLetterError',
        'ConnectError',
        'ZooKeeperNotFoundError',
        'UnsupportedByZooKeeperSourceError',
      ]),
    );
    for (const [, Class] of classes) expect(new Class('m')).toBeInstanceOf(rxzk.ZkError);
  });

  it("gives each its own fixed name, the exported one", () => {
    for (const [name, Class] of classes) {
      const error = new Class('m');
      expect(error.name).toBe(name);
      expect(String(error)).toBe(`${name}: m`);
    }
  });

  it('gives each class that stands for a server error the code it stands for, as errorFromCode does', () => {
    const coded = classes.filter(([, Class]) => 'code' in Class) as unknown as [string, { code: number }][];
    expect(Object.fromEntries(coded.map(([name, Class]) => [name, Class.code]))).toEqual({
      AuthFailedError: -115,
      BadVersionError: -103,
      ConnectionLossError: -4,
      InvalidACLError: -114,
      NoAuthError: -102,
      NoChildrenForEphemeralsError: -108,
      NodeExistsError: -110,
      NoNodeError: -101,
      NotEmptyError: -111,
      OperationTimeoutError: -7,
      SessionExpiredError: -112,
    });
    for (const [, Class] of coded) {
      const error = advanced.errorFromCode(Class.code, '/a', 'get');
      expect(error).toBeInstanceOf(Class);
      expect(error.code).toBe(Class.code);
    }
  });

  it('keeps what a four-letter error says: the server, the command and the cause', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const error = new rxzk.FourLetterError('srvr to 127.0.0.1:1: connect ECONNREFUSED', '127.0.0.1:1', 'srvr', { cause });
    expect(error).toMatchObject({ address: '127.0.0.1:1', command: 'srvr', cause, code: undefined });
  });
});
