import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthFailedError,
  BadVersionError,
  ClientClosedError,
  ConnectionLossError,
  InvalidArgumentError,
  NoNodeError,
  OperationTimeoutError,
  SessionExpiredError,
  ZkError,
} from '../../../src/index.js';
import { OperationQueue, type OperationSpec } from '../../../src/session/operation-queue.js';
import type { WireClient, WireFailure } from '../../../src/wire/wire-client.js';

/** Virtual time: nothing runs until the test moves the clock. */
class Clock {
  readonly scheduler = new VirtualTimeScheduler();
  /** Runs everything due up to `time` and leaves the clock there. */
  advanceTo(time: number): void {
    this.scheduler.schedule(() => {}, time - this.scheduler.now());
    this.scheduler.maxFrames = time;
    this.scheduler.flush();
  }
}

interface Sent {
  readonly name: string;
  readonly raw: WireClient;
  reply(error: WireFailure | null, result?: string): void;
}

/** Stands in for the wire client: records what is sent, and the test answers. */
class FakeWire {
  readonly sent: Sent[] = [];
  current: WireClient | null = null;
  private sessions = 0;
  /** A fresh wire client (a new session), live at once. */
  connect(): WireClient {
    this.current = { session: ++this.sessions } as unknown as WireClient;
    return this.current;
  }
  names(): string[] {
    return this.sent.map((s) => s.name);
  }
  take(name: string): Sent {
    const at = this.sent.findIndex((s) => s.name === name);
    if (at < 0) throw new Error(`${name} was not sent (sent: ${this.names().join(', ')})`);
    return this.sent.splice(at, 1)[0]!;
  }
}

function wireError(code: number): WireFailure {
  return Object.assign(new Error(`wire error ${code}`), { code });
}
const CONNECTION_LOSS = wireError(-4);

interface Outcome<T> {
  state: 'pending' | 'resolved' | 'rejected';
  value?: T;
  error?: ZkError;
}

function track<T>(promise: Promise<T>): Outcome<T> {
  const outcome: Outcome<T> = { state: 'pending' };
  promise.then(
    (value) => Object.assign(outcome, { state: 'resolved', value }),
    (error: ZkError) => Object.assign(outcome, { state: 'rejected', error }),
  );
  return outcome;
}

/** Lets promise callbacks run. */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

let clock: Clock;
let wire: FakeWire;
let queue: OperationQueue;

function setup(): void {
  clock = new Clock();
  wire = new FakeWire();
  queue = new OperationQueue(clock.scheduler, () => wire.current);
}

function spec(name: string, overrides: Partial<OperationSpec<string>> = {}): OperationSpec<string> {
  return {
    name,
    path: `/${name}`,
    resendable: true,
    send: (raw, done) => wire.sent.push({ name, raw, reply: done }),
    ...overrides,
  };
}

function run(name: string, options: { timeoutMs?: number; maxResends?: number } & Partial<OperationSpec<string>> = {}) {
  const { timeoutMs = 1000, maxResends = 3, ...overrides } = options;
  return track(queue.run(spec(name, overrides), timeoutMs, maxResends));
}

afterEach(() => {
  // Nothing may be left scheduled or pending once every operation settled.
  queue.onState('closed');
});

describe('OperationQueue: waiting for a live session', () => {
  it('queues operations while not live and sends them in order on connected', async () => {
    setup();
    const a = run('a');
    const b = run('b');
    const c = run('c');
    expect(wire.sent).toHaveLength(0);
    expect(queue.size).toBe(3);

    const raw = wire.connect();
    queue.onState('connected');
    expect(wire.names()).toEqual(['a', 'b', 'c']);
    expect(wire.sent.every((s) => s.raw === raw)).toBe(true);

    wire.take('b').reply(null, 'B');
    wire.take('a').reply(null, 'A');
    wire.take('c').reply(null, 'C');
    await settled();
    expect([a.value, b.value, c.value]).toEqual(['A', 'B', 'C']);
    expect(queue.size).toBe(0);
  });

  it('sends at once while live, and what is made while others wait goes behind them', async () => {
    setup();
    const a = run('a');
    wire.connect(); // live, but the queue has not been told yet
    const b = run('b');
    expect(wire.sent).toHaveLength(0);
    queue.onState('reconnected');
    expect(wire.names()).toEqual(['a', 'b']);
    const c = run('c');
    expect(wire.names()).toEqual(['a', 'b', 'c']);
    for (const name of ['a', 'b', 'c']) wire.take(name).reply(null, name);
    await settled();
    expect([a.state, b.state, c.state]).toEqual(['resolved', 'resolved', 'resolved']);
  });

  it('holds what waits through suspended and sends it on reconnected', async () => {
    setup();
    wire.connect();
    queue.onState('connected');
    queue.onState('suspended');
    wire.current = null;
    const a = run('a');
    queue.onState('suspended');
    expect(wire.sent).toHaveLength(0);
    wire.connect();
    queue.onState('reconnected');
    wire.take('a').reply(null, 'A');
    await settled();
    expect(a.value).toBe('A');
  });
});

describe('OperationQueue: replies', () => {
  it('rejects with the typed error of the wire error, naming the path', async () => {
    setup();
    wire.connect();
    const a = run('a');
    wire.take('a').reply(wireError(-101));
    await settled();
    expect(a.error).toBeInstanceOf(NoNodeError);
    expect(a.error!.path).toBe('/a');
    expect(a.error!.code).toBe(-101);
  });

  it('lets an operation describe its error itself', async () => {
    setup();
    wire.connect();
    const described = run('d', { describeError: (e) => new BadVersionError(`step 2: ${e.code}`, { code: e.code }) });
    wire.take('d').reply(wireError(-103));
    await settled();
    expect(described.error).toBeInstanceOf(BadVersionError);
    expect(described.error!.message).toBe('step 2: -103');
  });
});

describe('OperationQueue: connection loss', () => {
  it('re-sends a resendable operation once the session is back', async () => {
    setup();
    wire.connect();
    queue.onState('connected');
    const a = run('a');
    wire.take('a').reply(CONNECTION_LOSS);
    // Not from inside the failing callback: only once the session is live again.
    expect(wire.sent).toHaveLength(0);
    queue.onState('suspended');
    wire.connect();
    queue.onState('reconnected');
    expect(wire.names()).toEqual(['a']);
    wire.take('a').reply(null, 'A');
    await settled();
    expect(a.value).toBe('A');
  });

  it('re-sends at most maxResends times, then rejects with ConnectionLossError', async () => {
    setup();
    wire.connect();
    const a = run('a', { maxResends: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      wire.take('a').reply(CONNECTION_LOSS);
      queue.onState('reconnected');
    }
    wire.take('a').reply(CONNECTION_LOSS);
    await settled();
    expect(a.error).toBeInstanceOf(ConnectionLossError);
    expect(a.error!.path).toBe('/a');
    queue.onState('reconnected');
    expect(wire.sent).toHaveLength(0);
  });

  it('never re-sends an operation that is not resendable', async () => {
    setup();
    wire.connect();
    const a = run('a', { resendable: false });
    wire.take('a').reply(CONNECTION_LOSS);
    await settled();
    expect(a.error).toBeInstanceOf(ConnectionLossError);
    queue.onState('reconnected');
    expect(wire.sent).toHaveLength(0);
  });

  it('never re-sends with maxResends 0', async () => {
    setup();
    wire.connect();
    const a = run('a', { maxResends: 0 });
    wire.take('a').reply(CONNECTION_LOSS);
    await settled();
    expect(a.error).toBeInstanceOf(ConnectionLossError);
  });
});

describe('OperationQueue: deadlines', () => {
  it('rejects an operation that never got a session with OperationTimeoutError at its deadline', async () => {
    setup();
    const a = run('a', { timeoutMs: 100 });
    clock.advanceTo(99);
    await settled();
    expect(a.state).toBe('pending');
    clock.advanceTo(100);
    await settled();
    expect(a.error).toBeInstanceOf(OperationTimeoutError);
    expect(a.error!.message).toBe('a /a: no reply within 100 ms; it was never sent (no live session)');
    expect(a.error!.code).toBe(-7);
    expect(queue.size).toBe(0);
    // A session later does not send it.
    wire.connect();
    queue.onState('connected');
    expect(wire.sent).toHaveLength(0);
  });

  it('rejects an operation without a reply at its deadline, saying it may still take effect', async () => {
    setup();
    wire.connect();
    const a = run('a', { timeoutMs: 100 });
    clock.advanceTo(100);
    await settled();
    expect(a.error).toBeInstanceOf(OperationTimeoutError);
    expect(a.error!.message).toBe('a /a: no reply within 100 ms; it may still take effect');
  });

  it('says an operation sent before a connection loss may still take effect', async () => {
    setup();
    wire.connect();
    const a = run('a', { timeoutMs: 100 });
    wire.take('a').reply(CONNECTION_LOSS);
    clock.advanceTo(100);
    await settled();
    expect(a.error).toBeInstanceOf(OperationTimeoutError);
    expect(a.error!.message).toBe('a /a: no reply within 100 ms; it may still take effect');
  });

  it('keeps each operation to its own deadline, queued time included', async () => {
    setup();
    const a = run('a', { timeoutMs: 300 });
    clock.advanceTo(50);
    const b = run('b', { timeoutMs: 100 });
    const c = run('c', { timeoutMs: 500 });
    clock.advanceTo(149);
    await settled();
    expect([a.state, b.state, c.state]).toEqual(['pending', 'pending', 'pending']);
    clock.advanceTo(150);
    await settled();
    expect([a.state, b.state, c.state]).toEqual(['pending', 'rejected', 'pending']);
    wire.connect();
    queue.onState('connected');
    expect(wire.names()).toEqual(['a', 'c']);
    clock.advanceTo(300);
    await settled();
    expect([a.state, c.state]).toEqual(['rejected', 'pending']);
    wire.take('c').reply(null, 'C');
    await settled();
    expect(c.value).toBe('C');
  });

  it('ignores a reply that comes after the deadline', async () => {
    setup();
    wire.connect();
    const a = run('a', { timeoutMs: 100 });
    const late = wire.take('a');
    clock.advanceTo(100);
    expect(() => late.reply(null, 'late')).not.toThrow();
    await settled();
    expect(a.error).toBeInstanceOf(OperationTimeoutError);
    expect(queue.size).toBe(0);
  });
});

describe('OperationQueue: the end of a session or of the client', () => {
  it('rejects what waits and what is in flight with SessionExpiredError on lost', async () => {
    setup();
    wire.connect();
    queue.onState('connected');
    const inFlight = run('a');
    queue.onState('suspended');
    wire.current = null;
    const waiting = run('b');
    queue.onState('lost');
    await settled();
    for (const outcome of [inFlight, waiting]) {
      expect(outcome.error).toBeInstanceOf(SessionExpiredError);
      expect(outcome.error!.code).toBe(-112);
    }
    expect(inFlight.error!.message).toBe('a /a: the session was lost before it completed');
    expect(queue.size).toBe(0);
  });

  it('ignores replies that come after lost, and runs new operations on the next session', async () => {
    setup();
    wire.connect();
    const a = run('a');
    const late = wire.take('a');
    wire.current = null;
    queue.onState('lost');
    late.reply(null, 'too late');
    late.reply(CONNECTION_LOSS);
    await settled();
    expect(a.error).toBeInstanceOf(SessionExpiredError);

    const b = run('b');
    wire.connect();
    queue.onState('connected');
    expect(wire.names()).toEqual(['b']);
    wire.take('b').reply(null, 'B');
    await settled();
    expect(b.value).toBe('B');
  });

  it('rejects everything pending with ClientClosedError on closed, and every later call at once', async () => {
    setup();
    wire.connect();
    const inFlight = run('a');
    wire.current = null;
    const waiting = run('b');
    queue.onState('closed');
    await settled();
    for (const outcome of [inFlight, waiting]) expect(outcome.error).toBeInstanceOf(ClientClosedError);
    expect(waiting.error!.message).toBe('b /b: the client was closed before it completed');
    const later = run('c');
    await settled();
    expect(later.error).toBeInstanceOf(ClientClosedError);
    expect(wire.names()).toEqual(['a']);
  });

  it('rejects everything pending with AuthFailedError on auth-failed, and every later call', async () => {
    setup();
    const waiting = run('a');
    queue.onState('auth-failed');
    const later = run('b');
    await settled();
    expect(waiting.error).toBeInstanceOf(AuthFailedError);
    expect(later.error).toBeInstanceOf(AuthFailedError);
  });

  it('stops its deadline timer on close', () => {
    setup();
    run('a', { timeoutMs: 100 });
    queue.onState('closed');
    expect(clock.scheduler.actions).toHaveLength(0);
  });
});

describe('OperationQueue: a request the wire client cannot encode', () => {
  it('fails that operation with InvalidArgumentError and sends the rest, whether queued or sent at once', async () => {
    setup();
    const refuse = () => {
      throw new RangeError('The value of "value" is out of range');
    };
    const queued = run('bad', { send: refuse });
    const after = run('after');
    wire.connect();
    expect(() => queue.onState('connected')).not.toThrow();
    await settled();
    expect(queued.state).toBe('rejected');
    expect(queued.error).toBeInstanceOf(InvalidArgumentError);
    expect(queued.error!.message).toBe('bad /bad: the request could not be encoded: The value of "value" is out of range');
    expect(queued.error!.cause).toBeInstanceOf(RangeError);
    expect(queue.size).toBe(1);

    const live = run('bad-live', { send: refuse });
    await settled();
    expect(live.state).toBe('rejected');
    wire.take('after').reply(null, 'A');
    await settled();
    expect(after.state).toBe('resolved');
    expect(queue.size).toBe(0);
  });
});
