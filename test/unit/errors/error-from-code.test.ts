import { describe, expect, it } from 'vitest';
import { AuthFailedError, BadVersionError, ConnectionLossError, InvalidACLError, NoAuthError, NoChildrenForEphemeralsError, NodeExistsError, NoNodeError, NotEmptyError, OperationTimeoutError, ServerError, SessionExpiredError, ZkError } from '../../../src/index.js';
import { errorFromCode } from '../../../src/advanced.js';

describe('errorFromCode', () => {
  it.each([
    [-4, ConnectionLossError, 'get /a: connection lost before the reply came; it may or may not have taken effect'],
    [-7, OperationTimeoutError, 'get /a: timed out'],
    [-101, NoNodeError, '/a does not exist'],
    [-102, NoAuthError, 'get /a: not authorized'],
    [-103, BadVersionError, '/a is not at the expected version'],
    [-108, NoChildrenForEphemeralsError, '/a is ephemeral and cannot have children'],
    [-110, NodeExistsError, '/a already exists'],
    [-111, NotEmptyError, '/a has children'],
    [-112, SessionExpiredError, 'get /a: the session expired'],
    [-12, SessionExpiredError, 'get /a: the server does not know the session (it has ended)'],
    [-114, InvalidACLError, 'get /a: invalid ACL'],
    [-115, AuthFailedError, 'get /a: authentication failed'],
  ])('maps code %i to its own class (%o)', (code, Class, message) => {
    const cause = new Error('wire');
    const error = errorFromCode(code, '/a', 'get', cause);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(ZkError);
    expect(error.name).toBe(Class.name);
    expect(error.code).toBe(code);
    expect(error.path).toBe('/a');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(message);
  });

  it.each([
    [-1, 'create /a: system error on the server'],
    [-2, 'create /a: runtime inconsistency'],
    [-3, 'create /a: data inconsistency'],
    [-5, 'create /a: marshalling error'],
    [-6, 'create /a: not implemented by the server'],
    [-8, 'create /a: bad arguments'],
    [-13, 'create /a: the new configuration has no quorum'],
    [-14, 'create /a: another reconfiguration is in progress'],
    [-100, 'create /a: API error'],
    [-113, 'create /a: invalid callback'],
    [-118, 'create /a: the session moved to another server'],
    [-119, 'create /a: the server is read-only'],
    [-120, 'create /a: ephemeral node on a local session'],
    [-121, 'create /a: no such watcher'],
    [-122, 'create /a: not completed by the server within its request timeout'],
    [-123, 'create /a: reconfiguration is disabled'],
    [-127, 'create /a: throttled by the server under load and not executed; retry with back-off'],
    [-124, 'create /a: the session was closed because the client failed to authenticate'],
    [-125, 'create /a: quota exceeded'],
  ])('maps code %i, which has no class of its own, to ServerError with the code', (code, message) => {
    const error = errorFromCode(code, '/a', 'create');
    expect(error).toBeInstanceOf(ServerError);
    expect(error.name).toBe('ServerError');
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it.each([[-9], [-126], [-999], [0], [1], [Number.NaN]])('maps an unknown code (%d) to ServerError naming it', (code) => {
    const error = errorFromCode(code, '/a', 'set');
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(`set /a: server error ${code}`);
  });

  it('never throws, whatever it is given', () => {
    const odd: unknown[] = [undefined, null, 'x', {}, Infinity, -0, 2 ** 40];
    for (const code of odd) {
      expect(() => errorFromCode(code as number)).not.toThrow();
      expect(errorFromCode(code as number)).toBeInstanceOf(ZkError);
    }
  });

  it('without a path or operation still says what failed', () => {
    expect(errorFromCode(-101).message).toBe('node does not exist');
    expect(errorFromCode(-112).message).toBe('request: the session expired');
    expect(errorFromCode(-112).path).toBeUndefined();
    expect(errorFromCode(-102, undefined, 'getACL').message).toBe('getACL: not authorized');
  });

  it('prefixes the context (e.g. the step of a transaction)', () => {
    const error = errorFromCode(-103, '/a', 'set', undefined, 'transaction step 2 of 3');
    expect(error).toBeInstanceOf(BadVersionError);
    expect(error.message).toBe('transaction step 2 of 3: /a is not at the expected version');
  });
});
