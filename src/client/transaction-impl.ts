import { BAD_VERSION, badVersionError, missingParentError, NO_NODE } from './call-errors.js';
import { errorFromCode } from '../errors/from-code.js';
import { InvalidArgumentError } from '../errors/zk-error.js';
import type { ACL } from '../model/acl.js';
import type { CreateMode } from '../model/create-mode.js';
import type { Data } from '../model/data.js';
import type { OperationSpec } from '../session/operation-queue.js';
import type { MultiOp, MultiResult } from '../wire/wire-client.js';
import { checkCallTimeout, type CallOptions } from './call-options.js';
import { checkRequest, createRequest, deleteRequest, setDataRequest, type WriteRequest } from './requests.js';
import { checkRequestSize, multiBodyBytes } from './request-size.js';
import type { Transaction, TransactionResult } from './transaction.js';

/** What a transaction needs from its client. */
export interface TransactionHost {
  run<T>(spec: OperationSpec<T>, options: CallOptions): Promise<T>;
  toServerPath(path: string): string;
  toUserPath(path: string): string;
  readonly maxRequestBytes: number;
}

/** A {@link Transaction} of a client: its steps are sent as one multi request. */
export class TransactionImpl implements Transaction {
  private readonly steps: { readonly name: string; readonly request: WriteRequest<MultiOp> }[] = [];
  private committed = false;

  constructor(private readonly host: TransactionHost) {}

  create(path: string, data?: Data | null, options: { mode?: CreateMode; acl?: readonly ACL[] } = {}): this {
    return this.add('create', createRequest('transaction.create', path, data, options, this.toServerPath));
  }

  set(path: string, data: Data, options: { version?: number } = {}): this {
    return this.add('set', setDataRequest('transaction.set', path, data, options.version, this.toServerPath));
  }

  delete(path: string, options: { version?: number } = {}): this {
    return this.add('delete', deleteRequest('transaction.delete', path, options.version, this.toServerPath));
  }

  check(path: string, version: number): this {
    return this.add('check', checkRequest('transaction.check', path, version, this.toServerPath));
  }

  commit(options: CallOptions = {}): Promise<TransactionResult[]> {
    if (this.committed) throw new InvalidArgumentError('transaction.commit: this transaction was already committed');
    if (this.steps.length === 0) throw new InvalidArgumentError('transaction.commit: the transaction has no steps');
    checkCallTimeout(options.timeoutMs, 'transaction.commit');
    this.committed = true;
    const first = this.steps[0]!.request;
    checkRequestSize('transaction', first.path, multiBodyBytes(this.steps.map((s) => s.request.bodyBytes)), this.host.maxRequestBytes);
    const ops = this.steps.map((s) => s.request.op);
    let results: MultiResult[] | undefined;
    const spec: OperationSpec<TransactionResult[]> = {
      name: 'transaction',
      path: first.path,
      resendable: false,
      send: (wire, done) => {
        wire.multi(ops, (error, steps) => {
          results = steps;
          done(error, error ? undefined : (steps ?? []).map((r) => this.result(r)));
        });
      },
      describeError: (error) => {
        // The failed step's result is its error; those before it say 0, those after it -2.
        const failed = results?.findIndex((r) => r.type === 'error' && r.code !== 0 && r.code !== -2) ?? -1;
        const step = this.steps[failed];
        if (!step) return errorFromCode(error.code, first.path, 'transaction', error);
        const { name, request } = step;
        const context = `transaction step ${failed + 1} of ${this.steps.length}`;
        if (error.code === BAD_VERSION && request.op.type !== 'create') {
          return badVersionError(request.path, request.op.version, undefined, { cause: error, context });
        }
        if (error.code === NO_NODE && name === 'create') return missingParentError(request.path, error, context);
        return errorFromCode(error.code, request.path, name, error, context);
      },
    };
    return this.host.run(spec, options);
  }

  private readonly toServerPath = (path: string): string => this.host.toServerPath(path);

  private add(name: string, request: WriteRequest<MultiOp>): this {
    if (this.committed) throw new InvalidArgumentError(`transaction.${name}: this transaction was already committed`);
    this.steps.push({ name, request });
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
