/**
 * A lock holder: takes the lock again and again, and in each critical section reads the counter
 * and sets it one higher with a conditional set (the version it read), writing its fencing token
 * beside the value. It logs what it believes: `enter` when it holds the lock, `lost` when told so,
 * `exit` when the section ends, and what each read and write saw.
 *
 * `withLock` gives the work no fencing token, so in that mode the section first finds its own
 * lock node (the one its session owns) and takes that node's czxid, which is what `lock()` reports
 * as the token.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Observable, repeat, takeUntil, timer, type Subscription } from 'rxjs';
import { BadVersionError, lock, NoNodeError, withLock } from '../../../src/index.js';
import type { CounterValue } from '../chaos-paths.js';
import { describeError, type ParticipantContext } from './participant-context.js';

interface Holding {
  readonly token: string;
  /** Still in the critical section (not yet done, lost or stopped). */
  held: boolean;
}

export function runLocker(ctx: ParticipantContext): Subscription {
  const attempt$ = ctx.mode === 'withLock' ? withLockAttempt(ctx) : lockAttempt(ctx);
  return attempt$.pipe(repeat({ delay: () => timer(20 + Math.random() * 180) }), takeUntil(ctx.stop$)).subscribe();
}

/** One `withLock`: queue, run a section, release. Completes when released, whatever happened. */
function withLockAttempt(ctx: ParticipantContext): Observable<never> {
  return new Observable<never>((subscriber) => {
    ctx.log({ ev: 'want', mode: 'withLock' });
    const sub = withLock(ctx.zk, ctx.paths.lock, () => section(ctx)).subscribe({
      complete: () => {
        ctx.log({ ev: 'released' });
        subscriber.complete();
      },
      error: (error: unknown) => {
        const { name, message } = describeError(error);
        ctx.log({ ev: 'released', error: `${name}: ${message}` });
        subscriber.complete();
      },
    });
    return () => sub.unsubscribe();
  });
}

/** The work given to `withLock`: it runs only while the lock is held, and is torn down on `lost`. */
function section(ctx: ParticipantContext): Observable<never> {
  return new Observable<never>((subscriber) => {
    let holding: Holding | undefined;
    let torn = false;
    ownToken(ctx)
      .then(async (token) => {
        if (torn) return;
        const h: Holding = { token, held: true };
        holding = h;
        ctx.log({ ev: 'enter', token });
        await increment(ctx, h);
        if (!h.held) return;
        h.held = false;
        ctx.log({ ev: 'exit', token, reason: 'done' });
        subscriber.complete();
      })
      .catch((error: unknown) => {
        if (torn) return;
        if (holding?.held) {
          holding.held = false;
          ctx.log({ ev: 'exit', token: holding.token, reason: 'failed' });
        }
        subscriber.error(error);
      });
    return () => {
      torn = true;
      if (!holding?.held) return;
      holding.held = false;
      // withLock stops the work when the lock is lost (or when the participant is stopped).
      if (ctx.stopping()) ctx.log({ ev: 'exit', token: holding.token, reason: 'stopped' });
      else {
        ctx.log({ ev: 'lost', token: holding.token });
        ctx.log({ ev: 'exit', token: holding.token, reason: 'lost' });
      }
    };
  });
}

/**
 * One `lock()` subscription: queue, run a section each time it is acquired, and unsubscribe
 * (release) once a section completes. It stays subscribed through `lost`.
 */
function lockAttempt(ctx: ParticipantContext): Observable<never> {
  return new Observable<never>((subscriber) => {
    ctx.log({ ev: 'want', mode: 'lock' });
    let holding: Holding | undefined;
    let failure: string | undefined;
    const end = (reason: 'done' | 'lost' | 'failed' | 'stopped') => {
      if (!holding?.held) return;
      holding.held = false;
      ctx.log({ ev: 'exit', token: holding.token, reason });
    };
    const sub = lock(ctx.zk, ctx.paths.lock).subscribe({
      next: (state) => {
        if (state.state === 'acquired' && !holding?.held) {
          const h: Holding = { token: String(state.fencingToken), held: true };
          holding = h;
          ctx.log({ ev: 'enter', token: h.token });
          // A section cut short by `lost` does not end the subscription: lock() queues again by
          // itself (on the same node after `reconnected`, a new one after a new session).
          increment(ctx, h).then(
            () => {
              if (!h.held) return;
              end('done');
              subscriber.complete();
            },
            (error: unknown) => {
              if (!h.held) return;
              end('failed');
              const { name, message } = describeError(error);
              failure = `${name}: ${message}`;
              subscriber.complete();
            },
          );
        } else if (state.state === 'lost' && holding?.held) {
          ctx.log({ ev: 'lost', token: holding.token });
          end('lost');
        }
      },
      error: (error: unknown) => {
        end('failed');
        const { name, message } = describeError(error);
        failure = `${name}: ${message}`;
        subscriber.complete();
      },
    });
    return () => {
      end(ctx.stopping() ? 'stopped' : 'failed');
      sub.unsubscribe();
      ctx.log({ ev: 'released', ...(failure ? { error: failure } : {}) });
    };
  });
}

/** Reads the counter and sets it one higher, conditionally; logs both. Stops early once not held. */
async function increment(ctx: ParticipantContext, holding: Holding): Promise<void> {
  const node = await ctx.zk.get(ctx.paths.counter);
  if (!holding.held) return;
  const stored = JSON.parse(node.data.toString()) as CounterValue;
  ctx.log({ ev: 'read', token: holding.token, value: stored.value, version: node.stat.version, storedToken: stored.token });
  // Hold the lock a little, so that a second holder, if the lock let one in, would be seen.
  await sleep(10 + Math.random() * 50);
  if (!holding.held) return;
  const next: CounterValue = { value: stored.value + 1, token: holding.token, by: `${ctx.id}#${ctx.inc}` };
  let outcome: 'ok' | 'conflict' | 'unknown' | 'failed' = 'ok';
  let error: string | undefined;
  try {
    await ctx.zk.set(ctx.paths.counter, JSON.stringify(next), { version: node.stat.version });
  } catch (e) {
    // A conditional set is never sent twice: anything but a definite refusal may have been applied.
    outcome = e instanceof BadVersionError ? 'conflict' : e instanceof NoNodeError ? 'failed' : 'unknown';
    const { name, message } = describeError(e);
    error = `${name}: ${message}`;
  }
  ctx.log({
    ev: 'write',
    token: holding.token,
    from: stored.value,
    to: stored.value + 1,
    outcome,
    held: holding.held,
    ...(error ? { error } : {}),
  });
}

/** The czxid of the lock node this session owns: `withLock`'s fencing token. */
async function ownToken(ctx: ParticipantContext): Promise<string> {
  const session = ctx.zk.sessionId;
  const names = await ctx.zk.getChildren(ctx.paths.lock);
  const stats = await Promise.all(names.map((name) => ctx.zk.exists(`${ctx.paths.lock}/${name}`)));
  const mine = stats.filter((s) => s !== null && s.ephemeralOwner === session).map((s) => s!.czxid);
  if (mine.length === 0) throw new Error(`withLock ran the work, but no node under ${ctx.paths.lock} belongs to session ${session}`);
  return String(mine.reduce((a, b) => (a < b ? a : b)));
}
