import { asyncScheduler, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidPathError, type ConnectOptions } from '../../../src/index.js';
import { resolveOptions } from '../../../src/client/options.js';

function refusal(connectString: unknown, options?: ConnectOptions): Error {
  try {
    resolveOptions(connectString, options);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`accepted ${JSON.stringify(connectString)} ${JSON.stringify(options)}`);
}

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const options = resolveOptions('127.0.0.1:2181');
    expect(options).toEqual({
      connectString: '127.0.0.1:2181',
      servers: ['127.0.0.1:2181'],
      sessionTimeoutMs: 30_000,
      connectTimeoutMs: undefined,
      operationTimeoutMs: undefined,
      maxRetries: 3,
      auth: [],
      chroot: '',
      maxRequestBytes: 1_048_575,
      reconnectDelayMs: 200,
      scheduler: asyncScheduler,
    });
  });

  it('keeps what it is given and normalizes the connect string', () => {
    const scheduler = new VirtualTimeScheduler();
    const options = resolveOptions(' 10.0.0.1:2181, zk-2.example:2182 ,[::1]:2183', {
      sessionTimeoutMs: 4000,
      connectTimeoutMs: 500,
      operationTimeoutMs: 700,
      retry: false,
      auth: [{ scheme: 'digest', credentials: 'u:p' }],
      chroot: '/apps/billing',
      maxRequestBytes: 4096,
      reconnectDelayMs: 0,
      scheduler,
    });
    expect(options.connectString).toBe('10.0.0.1:2181,zk-2.example:2182,[::1]:2183');
    expect(options.servers).toEqual(['10.0.0.1:2181', 'zk-2.example:2182', '[::1]:2183']);
    expect(options.maxRetries).toBe(0);
    expect(options.chroot).toBe('/apps/billing');
    expect(options.reconnectDelayMs).toBe(0);
    expect(options.scheduler).toBe(scheduler);
    expect(resolveOptions('h:1', { retry: { maxRetries: 7 } }).maxRetries).toBe(7);
    expect(resolveOptions('h:1', { chroot: '/' }).chroot).toBe('');
  });

  it.each([
    [undefined, 'connect: expected a connect string like "127.0.0.1:2181", got undefined'],
    ['', 'connect: expected a connect string like "127.0.0.1:2181", got ""'],
    ['   ', 'connect: expected a connect string like "127.0.0.1:2181", got "   "'],
    [2181, 'connect: expected a connect string like "127.0.0.1:2181", got 2181'],
    ['127.0.0.1', 'connect: "127.0.0.1" in the connect string is not host:port'],
    ['127.0.0.1:2181,', 'connect: "" in the connect string is not host:port'],
    ['a:1,b:port', 'connect: "b:port" in the connect string is not host:port'],
    ['a:123456', 'connect: "a:123456" in the connect string is not host:port'],
  ])('refuses the connect string %j', (connectString, message) => {
    const error = refusal(connectString);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(message);
  });

  it.each([
    ['sessionTimeoutMs', 0],
    ['sessionTimeoutMs', -1],
    ['sessionTimeoutMs', Number.NaN],
    ['sessionTimeoutMs', Number.POSITIVE_INFINITY],
    ['sessionTimeoutMs', '5000'],
    ['connectTimeoutMs', 0],
    ['operationTimeoutMs', -5],
    ['maxRequestBytes', 0],
  ] as const)('refuses %s = %j, naming the option', (name, value) => {
    const error = refusal('h:1', { [name]: value } as ConnectOptions);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(`connect: ${name} must be a positive number of milliseconds, got ${String(value)}`);
  });

  it.each([[-1], [1.5], [Number.NaN]])('refuses retry.maxRetries = %d', (maxRetries) => {
    const error = refusal('h:1', { retry: { maxRetries } });
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(`connect: retry.maxRetries must be a whole number >= 0, got ${String(maxRetries)}`);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['200']])('refuses reconnectDelayMs = %j', (reconnectDelayMs) => {
    const error = refusal('h:1', { reconnectDelayMs } as ConnectOptions);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(
      `connect: reconnectDelayMs must be a number of milliseconds >= 0, got ${String(reconnectDelayMs)}`,
    );
  });

  it('refuses a chroot that is not a valid path, naming it', () => {
    const error = refusal('h:1', { chroot: 'apps/billing' });
    expect(error).toBeInstanceOf(InvalidPathError);
    expect(error.message).toBe('connect: chroot: invalid path "apps/billing": path must start with / at index 0');
    expect(refusal('h:1', { chroot: '/apps/' })).toBeInstanceOf(InvalidPathError);
  });

  it('refuses an auth entry without a scheme or without credentials', () => {
    const noScheme = refusal('h:1', { auth: [{ scheme: '', credentials: 'u:p' }] });
    expect(noScheme).toBeInstanceOf(InvalidArgumentError);
    expect(noScheme.message).toMatch(/^connect: every auth entry needs a scheme/);
    const noCredentials = refusal('h:1', { auth: [{ scheme: 'digest' } as never] });
    expect(noCredentials).toBeInstanceOf(InvalidArgumentError);
    expect(noCredentials.message).toBe('connect: the digest auth entry needs credentials (a string or a Buffer), got undefined');
  });
});
