import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/errors/zk-error.js';
import { WireSession } from '../../../src/wire/wire-session.js';

describe('WireSession options', () => {
  it.each([
    [{ sessionTimeoutMs: 0 }, 'WireSession: sessionTimeoutMs must be an integer from 1 to 2147483647, got 0'],
    [{ connectTimeoutMs: 1.5 }, 'WireSession: connectTimeoutMs must be an integer from 1 to 2147483647, got 1.5'],
    [{ reconnectDelayMs: -1 }, 'WireSession: reconnectDelayMs must be an integer from 0 to 2147483647, got -1'],
    [{ maxPacketBytes: Number.NaN }, 'WireSession: maxPacketBytes must be an integer from 1 to 2147483647, got NaN'],
    [{ serverVersion: 'three' }, "WireSession: serverVersion 'three' is not a version like '3.8.0'"],
    [{ sessionId: Buffer.alloc(4) }, 'WireSession: sessionId must be 8 bytes, got 4'],
  ])('refuses %o at construction', (options, message) => {
    expect(() => new WireSession('127.0.0.1:2181', options)).toThrow(new InvalidArgumentError(message));
  });

  it('refuses a connect string without servers, and a server without a port', () => {
    expect(() => new WireSession('')).toThrow(InvalidArgumentError);
    expect(() => new WireSession('127.0.0.1')).toThrow(new InvalidArgumentError("WireSession: server '127.0.0.1' is not host:port"));
  });

  it('holds requests made before start() and fails them when destroyed, each once', async () => {
    const s = new WireSession('127.0.0.1:1', { serverVersion: '3.8.0' });
    const codes: number[] = [];
    s.getData('/a', null, (error) => codes.push(error!.code));
    s.exists('/b', null, (error) => codes.push(error!.code));
    expect(s.state).toBe('idle');
    s.destroy();
    await Promise.resolve();
    expect(codes).toEqual([-112, -112]);
    s.getData('/c', null, (error) => codes.push(error!.code));
    expect(codes).toHaveLength(2);
    await Promise.resolve();
    expect(codes).toEqual([-112, -112, -112]);
  });
});
