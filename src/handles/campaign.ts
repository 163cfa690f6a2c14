import type { ZkClient } from '../client/zk-client.js';
import { AbortError, LeadershipLostError } from '../errors/recipe-errors.js';
import { ClientClosedError } from '../errors/zk-error.js';
import { validatePath } from '../paths/validate-path.js';
import { isClosing } from '../recipes/client-session.js';
import { candidacy, type Leadership } from '../recipes/leadership.js';
import { checkNonEmptyString, checkSignal } from '../recipes/recipe-arguments.js';
import { hold } from './hold.js';

/** Options of {@link campaign}. */
export interface CampaignOptions {
  /** This candidate's id, shown to the others (`leaderId`, `candidates`, `election$`). */
  id: string;
  /**
   * Stop waiting when this signal aborts: the candidate withdraws, then the promise rejects with
   * an {@link AbortError} (the signal's reason is its `cause`). Once leading, it no longer
   * matters: `resign()` instead.
   */
  signal?: AbortSignal;
}

/**
 * A term of leadership held by async/await code: what {@link campaign} resolves with.
 *
 * It lasts until `resign()`, or until leadership is lost: a leader whose connection is suspended
 * or whose session is lost, or whose candidate node someone deleted, must stop leading at once,
 * so `signal` aborts (reason: {@link LeadershipLostError}) and the candidacy is withdrawn. A lost
 * term is over; campaign again to stand again.
 */
export interface LeadershipTerm {
  /** The election's path. */
  readonly path: string;
  /** This candidate's id. */
  readonly id: string;
  /** Aborted, with a {@link LeadershipLostError} as its `reason`, when leadership is lost. */
  readonly signal: AbortSignal;
  /** Whether the term ended (resigned, or lost). */
  readonly ended: boolean;
  /**
   * Resigns: deletes the candidate node and resolves once it is gone, so the next candidate can
   * lead. Calling it again (or after a loss) resolves the same way.
   */
  resign(): Promise<void>;
  /** `resign()`, for `await using term = await campaign(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Stands for leadership at `path` and resolves with a {@link LeadershipTerm} once this candidate
 * leads: the async/await form of {@link leadership} (a thin handle over its stream), with the same
 * guarantee that at most one candidate leads at any time. `firstValueFrom(leadership(...))` would
 * unsubscribe, and so resign, the moment it won; the term holds the candidacy until `resign()`.
 *
 * ## Example
 * ```ts
 * import { campaign, connect } from 'rxzk';
 * const zk = connect('127.0.0.1:2181');
 * const term = await campaign(zk, '/election/scheduler', { id: 'node-1' });
 * term.signal.addEventListener('abort', () => console.log('no longer leading'));
 * console.log('leading');
 * await term.resign();
 * // Logs: leading
 * ```
 *
 * @throws InvalidPathError, InvalidArgumentError at once for a bad path, id or signal.
 */
export function campaign(zk: ZkClient, path: string, options: CampaignOptions): Promise<LeadershipTerm> {
  validatePath(path, 'campaign');
  const id = checkNonEmptyString(options?.id, 'campaign', 'id');
  const signal = checkSignal(options.signal, 'campaign');
  const what = `campaign ${path}`;
  const closed = () => new ClientClosedError(`${what}: the client was closed`, { path });
  return hold<Leadership>({
    ...candidacy(zk, path, id),
    reached: (l) => l.isLeader,
    lost: (l) => !l.isLeader,
    lostError: (cause) =>
      new LeadershipLostError(`${what}: leadership lost (connection suspended, session lost, or node deleted); resigned`, {
        path,
        cause: cause ?? (isClosing(zk) ? closed() : undefined),
      }),
    closedError: closed,
    abortError: (reason) => new AbortError(`${what}: aborted while waiting to lead; withdrew`, { path, cause: reason }),
    signal,
  }).then((held) => ({
    path,
    id,
    signal: held.signal,
    get ended() {
      return held.released;
    },
    resign: held.release,
    [Symbol.asyncDispose]: held.release,
  }));
}
