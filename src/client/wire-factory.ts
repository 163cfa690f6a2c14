import type { WireFactory } from '../session/connection.js';
import { NzcWireClient } from '../wire/nzc/nzc-wire-client.js';
import { WireSession } from '../wire/wire-session.js';
import type { ResolvedOptions } from './options.js';

/** Makes the wire client of each session, as the options choose it (`wire`). */
export function wireFactory(options: ResolvedOptions): WireFactory {
  const { connectString, maxRequestBytes, reconnectDelayMs, scheduler } = options;
  if (options.wire === 'builtin') {
    // rxzk's reconnectDelayMs is a random wait before trying again: WireSession's jitter.
    return (wireOptions) => new WireSession(connectString, { ...wireOptions, reconnectDelayMs: 0, reconnectJitterMs: reconnectDelayMs });
  }
  return (wireOptions) => new NzcWireClient(connectString, { ...wireOptions, maxRequestBytes }, scheduler);
}
