import { BAD_VERSION, badVersionError, missingParentError, NO_NODE } from '../errors/call-errors.js';
import { errorFromCode } from '../errors/from-code.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import { checkACL, OPEN_ACL_UNSAFE, type ACL } from '../model/acl.js';
import { CREATE_MODES, type CreateMode } from '../model/create-mode.js';
import { EMPTY_DATA, toBuffer, type Data } from '../model/data.js';
import type { Stat } from '../model/stat.js';
import { validatePath } from '../paths/validate-path.js';
import type { OperationSpec } from '../session/operation-queue.js';
import type { CreateModeFlag } from '../wire/create-modes.js';
import type { MultiOp, MultiResult } from '../wire/wire-client.js';
import { checkCallTimeout, checkVersion, type CallOptions } from './call-options.js';
import { checkRequestSize, createBodyBytes, multiBodyBytes, pathVersionBodyBytes, setBodyBytes } from './request-size.js';

/** The result of one step of a committed transaction, in step order. */
export type TransactionResult =
  | { readonly type: 'create'; readonly path: string }
  | { readonly type: 'set'; readonly stat: Stat }
  | { readonly type: 'delete' }
  | { readonly type: 'check' };

/** What a transaction needs from its client. */
export interface TransactionHost {
  run<T>(spec: OperationSpec<T>, options: CallOptions): Promise<T>;
  toServerPath(path: string): string;
  toUserPath(path: string): string;
  readonly maxRequestBytes: number;
}

/**
 * Steps applied atomically by {@link Transaction.commit}: all of them, or none. Build it with
 * `zk.transaction()`, chain steps, then commit.
 *
 * A transaction is never re-sent after a connection loss (a repeat of one that took effect would
 * fail on its own creates); it rejects with ConnectionLossError and the caller decides.
 *
 * ## Example
 * ```ts
 * const results = await zk
 *   .transaction()
 *   .check('/app/config', 3)
 *   .set('/app/config', '{"v":4}')
 *   .create('/app/history/v4', '...')
 *   .commit();
 * console.log(results.map((r) => r.type));
 * // Logs: [ 'check', 'set', 'create' ]
 * ```
 */
export class Transaction {
  private readonly ops: MultiOp[] = [];
  private readonly steps: { name: string; path: string }[] = [];
  private readonly bodies: number[] = [];
  private committed = false;

  /** @internal Use `zk.transaction()`. */
  constructor(private readonly host: TransactionHost) {}

  /** Creates a node. @throws on bad input. */
  create(path: string, data?: Data | null, options: { mode?: CreateMode; acl?: readonly ACL[] } = {}): this {
    validatePath(path, 'transaction.create');
    const bytes = toBuffer(data, 'transaction.create');
    const mode = CREATE_MODES[options.mode ?? 'persistent'];
    if (mode === undefined) throw new InvalidArgumentError(`transaction.create ${path}: unknown mode ${String(options.mode)}`);
    const acl = checkACL(options.acl ?? OPEN_ACL_UNSAFE, `transaction.create ${path}`);
    const serverPath = this.host.toServerPath(path);
    return this.add('create', path, createBodyBytes(serverPath, bytes, acl), {
      type: 'create',
      path: serverPath,
      data: bytes ?? null,
      acl,
      mode: mode as CreateModeFlag,
    });
  }

  /** Sets a node's data; with `version`, only at that version. @throws on bad input. */
  set(path: string, data: Data, options: { version?: number } = {}): this {
    validatePath(path, 'transaction.set');
    const bytes = toBuffer(data, 'transaction.set') ?? EMPTY_DATA;
    const serverPath = this.host.toServerPath(path);
    return this.add('set', path, setBodyBytes(serverPath, bytes), {
      type: 'setData',
      path: serverPath,
      data: bytes,
      version: checkVersion(options.version, `transaction.set ${path}`),
    });
  }

  /** Deletes a node; with `version`, only at that version. @throws on bad input. */
  delete(path: string, options: { version?: number } = {}): this {
    validatePath(path, 'transaction.delete');
    const serverPath = this.host.toServerPath(path);
    return this.add('delete', path, pathVersionBodyBytes(serverPath), {
      type: 'delete',
      path: serverPath,
      version: checkVersion(options.version, `transaction.delete ${path}`),
    });
  }

  /** Fails the transaction unless the node is at `version`. @throws on bad input. */
  check(path: string, version: number): this {
    validatePath(path, 'transaction.check');
    const serverPath = this.host.toServerPath(path);
    return this.add('check', path, pathVersionBodyBytes(serverPath), {
      type: 'check',
      path: serverPath,
      version: checkVersion(version, `transaction.check ${path}`),
    });
  }

  /**
   * Applies every step atomically and resolves with one result per step. If a step fails,
   * nothing is applied and it rejects with that step's typed error (e.g. BadVersionError),
   * whose message names the step.
   *
   * @throws DataTooLargeError at once if the whole transaction is over the request size limit.
   */
  commit(options: CallOptions = {}): Promise<TransactionResult[]> {
    if (this.committed) throw new InvalidArgumentError('transaction.commit: this transaction was already committed');
    if (this.ops.length === 0) throw new InvalidArgumentError('transaction.commit: the transaction has no steps');
    checkCallTimeout(options.timeoutMs, 'transaction.commit');
    this.committed = true;
    const first = this.steps[0]!;
    checkRequestSize('transaction', first.path, multiBodyBytes(this.bodies), this.host.maxRequestBytes);
    let results: MultiResult[] | undefined;
    const spec: OperationSpec<TransactionResult[]> = {
      name: 'transaction',
      path: first.path,
      resendable: false,
      send: (wire, done) => {
        wire.multi(this.ops, (error, steps) => {
          results = steps;
          done(error, error ? undefined : (steps ?? []).map((r) => this.result(r)));
        });
      },
      describeError: (error) => {
        // The failed step's result is its error; those before it say 0, those after it -2.
        const failed = results?.findIndex((r) => r.type === 'error' && r.code !== 0 && r.code !== -2) ?? -1;
        const step = this.steps[failed];
        if (!step) return errorFromCode(error.code, first.path, 'transaction', error);
        const context = `transaction step ${failed + 1} of ${this.steps.length}`;
        const op = this.ops[failed];
        const version = op && op.type !== 'create' ? op.version : undefined;
        if (error.code === BAD_VERSION && version !== undefined) return badVersionError(step.path, version, undefined, { cause: error, context });
        if (error.code === NO_NODE && step.name === 'create') return missingParentError(step.path, error, context);
        return errorFromCode(error.code, step.path, step.name, error, context);
      },
    };
    return this.host.run(spec, options);
  }

  private add(name: string, path: string, body: number, op: MultiOp): this {
    if (this.committed) throw new InvalidArgumentError(`transaction.${name}: this transaction was already committed`);
    this.ops.push(op);
    this.steps.push({ name, path });
    this.bodies.push(body);
    return this;
  }

  private result(step: MultiResult): TransactionResult {
    switch (step.type) {
      case 'create':
        return { type: 'create', path: this.host.toUserPath(step.path) };
      case 'setData':
        return { type: 'set', stat: step.stat };
      case 'delete':
        return { type: 'delete' };
      default:
        return { type: 'check' };
    }
  }
}

