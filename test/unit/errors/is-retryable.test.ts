import { describe, expect, it } from 'vitest';
import { AuthFailedError, BadVersionError, ClientClosedError, ConnectionLossError, DataTooLargeError, InvalidArgumentError, InvalidPathError, isRetryable, NoAuthError, NodeExistsError, NoNodeError, NotEmptyError, OperationTimeoutError, ServerError, SessionExpiredError, ZkError } from '../../../src/index.js';
import { errorFromCode } from '../../../src/advanced.js';

describe('isRetryable', () => {
  it('is true for a lost connection and for a missing reply', () => {
    expect(isRetryable(new ConnectionLossError('x', { code: -4 }))).toBe(true);
    expect(isRetryable(new OperationTimeoutError('x'))).toBe(true);
    expect(isRetryable(errorFromCode(-4, '/a', 'get'))).toBe(true);
    expect(isRetryable(errorFromCode(-7, '/a', 'get'))).toBe(true);
  });

  it('is true for a request the server throttled (-127: not executed)', () => {
    expect(isRetryable(errorFromCode(-127, '/a', 'set'))).toBe(true);
  });

  it('is false for every final error', () => {
    const final: unknown[] = [
      new NoNodeError('x'),
      new NodeExistsError('x'),
      new NotEmptyError('x'),
      new BadVersionError('x'),
      new NoAuthError('x'),
      new AuthFailedError('x'),
      new SessionExpiredError('x'),
      errorFromCode(-12, '/a', 'get'),
      errorFromCode(-122, '/a', 'get'),
      new ClientClosedError('x'),
      new InvalidArgumentError('x'),
      new InvalidPathError('x', 'x', 0),
      new DataTooLargeError('x', '/a', 2, 1),
      new ServerError('x', { code: -125 }),
      new ZkError('x'),
    ];
    for (const error of final) expect(isRetryable(error), (error as Error).name).toBe(false);
  });

  it('is false for what is not an rxzk error, even with a connection-loss code', () => {
    const plain = Object.assign(new Error('CONNECTION_LOSS'), { code: -4 });
    for (const value of [plain, { code: -4 }, null, undefined, 'ConnectionLossError', -4]) {
      expect(isRetryable(value)).toBe(false);
    }
  });
});
