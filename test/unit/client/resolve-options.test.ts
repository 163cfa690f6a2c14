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
      createChroot: true,
      maxRequestBytes: 1_048_575,
      reconnectDelayMs: 200,
      scheduler: asyncScheduler,
      wire: 'node-zookeeper-client',
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
    expect(resolveOptions('h:1/apps', { createChroot: false }).createChroot).toBe(false);
    expect(resolveOptions('h:1', { wire: 'builtin' }).wire).toBe('builtin');
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
    ['127.0.0.1:99999', 'connect: "127.0.0.1:99999" in the connect string has port 99999; a port is 1 to 65535'],
    ['a:2181,b:65536', 'connect: "b:65536" in the connect string has port 65536; a port is 1 to 65535'],
    ['a:0', 'connect: "a:0" in the connect string has port 0; a port is 1 to 65535'],
    ['[::1]:70000', 'connect: "[::1]:70000" in the connect string has port 70000; a port is 1 to 65535'],
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
    ['sessionTimeoutMs', 2 ** 31],
    ['connectTimeoutMs', 0],
    ['connectTimeoutMs', 2 ** 31],
    ['operationTimeoutMs', -5],
    ['operationTimeoutMs', 1e10],
  ] as const)('refuses %s = %j, naming the option and the bounds', (name, value) => {
    const error = refusal('h:1', { [name]: value } as ConnectOptions);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    expect(error.message).toBe(`connect: ${name} must be a number of milliseconds > 0 and <= 2147483647, got ${shown}`);
  });

  it('accepts the largest durations a timer can hold', () => {
    const options = resolveOptions('h:1', { sessionTimeoutMs: 2 ** 31 - 1, operationTimeoutMs: 2 ** 31 - 1 });
    expect(options.sessionTimeoutMs).toBe(2 ** 31 - 1);
    expect(options.operationTimeoutMs).toBe(2 ** 31 - 1);
  });

  it.each([[0], [-1], [1.5], [2 ** 31]])('refuses maxRequestBytes = %j', (maxRequestBytes) => {
    const error = refusal('h:1', { maxRequestBytes });
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(/^connect: maxRequestBytes must be a (number of bytes > 0 and <= 2147483647|whole number of bytes)/);
  });

  it.each([[-1], [1.5], [Number.NaN]])('refuses retry.maxRetries = %d', (maxRetries) => {
    const error = refusal('h:1', { retry: { maxRetries } });
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(`connect: retry.maxRetries must be a whole number >= 0, got ${String(maxRetries)}`);
  });

  it.each([
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['200', '"200"'],
    [2 ** 31, '2147483648'],
  ])('refuses reconnectDelayMs = %j', (reconnectDelayMs, shown) => {
    const error = refusal('h:1', { reconnectDelayMs } as ConnectOptions);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(
      `connect: reconnectDelayMs must be a number of milliseconds >= 0 and <= 2147483647, got ${shown}`,
    );
  });

  it('refuses a wire it does not know, naming the ones it does', () => {
    const error = refusal('h:1', { wire: 'zookeeper' } as unknown as ConnectOptions);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(`connect: wire must be 'builtin' or 'node-zookeeper-client', got "zookeeper"`);
  });

  it('refuses a createChroot that is not a boolean', () => {
    const error = refusal('h:1', { createChroot: 'no' } as unknown as ConnectOptions);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe('connect: createChroot must be true or false, got "no"');
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

  it.each([[{ scheme: 'digest', credentials: 'u:p' }], ['digest:u:p'], [null]])('refuses an auth option that is not an array (%j)', (auth) => {
    const error = refusal('h:1', { auth } as unknown as ConnectOptions);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(/^connect: auth must be an array of \{ scheme, credentials \}, got /);
  });
});
