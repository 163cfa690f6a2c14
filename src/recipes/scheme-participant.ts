import type { ZkClient } from '../client/zk-client.js';
import { checkScheme, namingFor, type QueueRole } from './node-naming.js';
import { positionIn, type PositionRule } from './operators/queue-position.js';
import { reportingStrangers } from './operators/reporting-strangers.js';
import type { NodeScheme } from './protected-names.js';
import { QueueParticipant } from './queue-participant.js';
import { checkNonEmptyString } from './recipe-arguments.js';

/** The options every queue recipe takes to sit beside Curator and kazoo on the same znodes. */
export interface SchemeOptions {
  /**
   * Whose naming this participant's node follows: `'rxzk'` (default), `'curator'` or `'kazoo'`,
   * so that the other client's recipe recognises it and waits for it. Whatever the scheme, rxzk
   * waits for every contender it recognises, in the server's order.
   */
  scheme?: NodeScheme;
  /**
   * This participant's id, written into its node as Curator and kazoo write theirs (kazoo's
   * `contenders()` and Curator's `getParticipantNodes()` name it). Default: none (empty data).
   */
  id?: string;
}

/**
 * Checks the {@link SchemeOptions} of a call.
 *
 * @throws InvalidArgumentError naming the call and the value.
 */
export function checkSchemeOptions(options: SchemeOptions | undefined, what: string): void {
  checkScheme(options?.scheme, what);
  if (options?.id !== undefined) checkNonEmptyString(options.id, what, 'id');
}

/** How a recipe's participant takes part in its queue. */
export interface SchemeParticipantOptions {
  /** The recipe, for reports (`lock`, `leadership`...). */
  readonly what: string;
  /** Whose naming to follow. */
  readonly scheme: NodeScheme | undefined;
  /** The id rxzk's own names carry (`lock`, `read`, the candidate's id...). */
  readonly nameId: string;
  /** What the node holds (the participant's id, as the foreign clients write it). */
  readonly data: string | null;
  /** The queue rule; default: the first holds. */
  readonly rule?: PositionRule;
  /** Whether children in no known scheme are reported (every queue but a semaphore's leases). */
  readonly reportStrangers?: boolean;
  /** Also wait for the queue's first node to go (an election, whose candidates report the leader). */
  readonly followHead?: boolean;
}

/**
 * A queue participant for `role`, named as `scheme`'s recipe names its nodes and holding the data
 * it writes, following the recipe's rule over every contender, whoever made it.
 */
export function schemeParticipant(zk: ZkClient, path: string, role: QueueRole, options: SchemeParticipantOptions): QueueParticipant {
  const rule = options.rule ?? ((children, own) => positionIn(children, own));
  return new QueueParticipant(
    zk,
    path,
    options.nameId,
    options.reportStrangers === false ? rule : reportingStrangers(rule, options.what, path),
    options.data,
    options.followHead ?? false,
    namingFor(options.scheme ?? 'rxzk', role),
  );
}
