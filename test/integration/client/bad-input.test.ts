import { describe, expect, it } from 'vitest';
import {
  connect,
  DataTooLargeError,
  InvalidArgumentError,
  OPEN_ACL_UNSAFE,
  type ACL,
  type ConnectionState,
  type ZkClient,
} from '../../../src/index.js';
import { record, testClient, testRoot } from '../../helpers/zk.js';

/** Calls `call` and returns what it threw; fails if it returned (a rejected promise is not a throw). */
function thrownBy(call: () => unknown): Error {
  let returned: unknown;
  try {
    returned = call();
  } catch (error) {
    return error as Error;
  }
  if (returned instanceof Promise) returned.catch(() => undefined);
  throw new Error(`expected a throw at the call, got ${String(returned)}`);
}

const TOO_BIG = 2 ** 31;

/** A path whose read request is over the default limit (1,048,575 bytes). */
const hugePath = `/${'p'.repeat(1_100_000)}`;

describe('bad input at the call', () => {
  it.each<[string, (zk: ZkClient, root: string) => unknown]>([
    ['set', (zk, root) => zk.set(root, 'x', { version: TOO_BIG })],
    ['delete', (zk, root) => zk.delete(root, { version: TOO_BIG })],
    ['setACL', (zk, root) => zk.setACL(root, OPEN_ACL_UNSAFE, { version: TOO_BIG })],
    ['transaction.set', (zk, root) => zk.transaction().set(root, 'x', { version: TOO_BIG })],
    ['transaction.check', (zk, root) => zk.transaction().check(root, TOO_BIG)],
  ])('%s refuses a version of 2^31 with InvalidArgumentError', async (name, call) => {
    const zk = await testClient();
    const root = await testRoot(zk, 'bad-version');
    const error = thrownBy(() => call(zk, root));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(
      `${name} ${root}: version must be a whole number from -1 to 2147483647 (or omitted), got 2147483648`,
    );
  });

  it.each<[string, (zk: ZkClient) => unknown]>([
    ['get', (zk) => zk.get(hugePath)],
    ['exists', (zk) => zk.exists(hugePath)],
    ['getChildren', (zk) => zk.getChildren(hugePath)],
    ['getACL', (zk) => zk.getACL(hugePath)],
    ['delete', (zk) => zk.delete(hugePath)],
    ['data$', (zk) => zk.data$(hugePath)],
    ['children$', (zk) => zk.children$(hugePath)],
    ['exists$', (zk) => zk.exists$(hugePath)],
    ['tree$', (zk) => zk.tree$(hugePath)],
    ['deleted$', (zk) => zk.deleted$(hugePath)],
  ])('%s refuses a path over the request limit with DataTooLargeError, before sending', async (name, call) => {
    const zk = await testClient();
    const error = thrownBy(() => call(zk));
    expect(error).toBeInstanceOf(DataTooLargeError);
    const escaped = name.replace(/[$]/g, '\\$');
    expect(error.message).toMatch(new RegExp(`^${escaped} /p{5}p*: the request would be \\d+ bytes, over the server's limit of 1048575`));
  });

  const badACLs: [string, unknown, RegExp][] = [
    ['perms over 31', [{ perms: 32, scheme: 'world', id: 'anyone' }], /acl\[0\] perms must be a whole number from 0 to 31 .*got 32$/],
    ['negative perms', [{ perms: -1, scheme: 'world', id: 'anyone' }], /acl\[0\] perms .*got -1$/],
    ['perms not a number', [{ perms: 'all', scheme: 'world', id: 'anyone' }], /acl\[0\] perms .*got "all"$/],
    ['a null entry', [null], /acl\[0\] must be an object \{ perms, scheme, id \}, got null$/],
    ['an empty entry', [{}], /acl\[0\] perms .*got undefined$/],
    ['no id', [{ perms: 31, scheme: 'world' }], /acl\[0\] id must be a string, got undefined$/],
    ['not an array', { perms: 31, scheme: 'world', id: 'anyone' }, /acl must be a non-empty array of \{ perms, scheme, id \}, got an object$/],
    ['an empty array', [], /acl must be a non-empty array of \{ perms, scheme, id \}, got an empty array$/],
  ];

  it.each(badACLs)('create, setACL and transaction.create refuse an ACL with %s', async (_, acl, message) => {
    const zk = await testClient();
    const root = await testRoot(zk, 'bad-acl');
    const calls = [
      () => zk.create(`${root}/a`, null, { acl: acl as ACL[] }),
      () => zk.setACL(root, acl as ACL[]),
      () => zk.transaction().create(`${root}/a`, null, { acl: acl as ACL[] }),
    ];
    for (const call of calls) {
      const error = thrownBy(call);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toMatch(message);
    }
  });

  it.each([[0], [-1], [Number.NaN], ['100'], [2 ** 31]])('refuses a per-call timeoutMs of %j', async (timeoutMs) => {
    const zk = await testClient();
    const root = await testRoot(zk, 'bad-timeout');
    const options = { timeoutMs } as unknown as { timeoutMs: number };
    const calls = [
      () => zk.get(root, options),
      () => zk.create(`${root}/a`, null, options),
      () => zk.set(root, 'x', options),
      () => zk.delete(`${root}/a`, options),
      () => zk.transaction().check(root, 0).commit(options),
      () => zk.ready(options),
    ];
    for (const call of calls) {
      const error = thrownBy(call);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toMatch(/timeoutMs must be a number of milliseconds > 0 and <= 2147483647, got /);
    }
  });

  it('refuses typed arrays other than Uint8Array, naming the type and how to pass its bytes', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'bad-data');
    const error = thrownBy(() => zk.set(root, new Float64Array([1.5]) as unknown as Uint8Array));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(
      'set: data must be a Buffer, a Uint8Array or a string, got Float64Array ' +
        '(for its raw bytes, pass Buffer.from(view.buffer, view.byteOffset, view.byteLength))',
    );
  });

  it.each<[string, () => unknown, RegExp]>([
    ['a port over 65535', () => connect('127.0.0.1:99999'), /has port 99999; a port is 1 to 65535$/],
    ['a session timeout of 2^31 ms', () => connect('127.0.0.1:2181', { sessionTimeoutMs: TOO_BIG }), /sessionTimeoutMs must be/],
    ['an operation timeout of 1e10 ms', () => connect('127.0.0.1:2181', { operationTimeoutMs: 1e10 }), /operationTimeoutMs must be/],
    ['an auth option that is not an array', () => connect('127.0.0.1:2181', { auth: 'digest:u:p' as never }), /auth must be an array/],
  ])('connect refuses %s', (_, call, message) => {
    const error = thrownBy(call);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(message);
  });

  it('costs nothing: after every refusal the client is connected, its streams never suspended, and it works', async () => {
    const zk = await testClient();
    const root = await testRoot(zk, 'bad-input-costs-nothing');
    const states = record<ConnectionState>(zk.state$);
    const watched = record(zk.data$(root));
    const attempts: (() => unknown)[] = [
      () => zk.set(root, 'x', { version: TOO_BIG }),
      () => zk.get(hugePath),
      () => zk.data$(hugePath),
      () => zk.create(`${root}/a`, null, { acl: [{ perms: 99, scheme: 'world', id: 'anyone' }] }),
      () => zk.get(root, { timeoutMs: -1 }),
      () => zk.set(root, new Float64Array(2) as unknown as Uint8Array),
    ];
    for (const attempt of attempts) thrownBy(attempt);
    const stat = await zk.set(root, 'after');
    expect(stat.version).toBe(1);
    expect((await zk.get(root)).data.toString()).toBe('after');
    expect(states.values).toEqual(['connected']);
    expect(watched.errors).toEqual([]);
  });
});
